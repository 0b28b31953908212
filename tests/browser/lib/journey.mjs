// A journey: steps run in order, each skipped once an earlier one failed, with the people
// (one browser context each) it opened, what they see, and on a failure where each of them
// was and what the server said last.
import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";

import { personContext, SCREENSHOTS } from "./browser.mjs";
import { totp } from "./totp.mjs";

export class Journey {
  /**
   * `prefix` names this journey's screenshots; `server` is the object startServer's result
   * is assigned to, `browser` may be set later (before the first step runs).
   */
  constructor({ browser = null, inspector, server, prefix }) {
    Object.assign(this, { browser, inspector, server, prefix });
    this.people = {};
    this.broken = null;
  }

  /** A test that is skipped (not failed again) once an earlier step failed. */
  step(name, fn) {
    test(name, async (t) => {
      if (this.broken) {
        t.skip(`an earlier step failed: ${this.broken}`);
        return;
      }
      try {
        await fn(t);
      } catch (e) {
        this.broken = name;
        await this.explain(e);
        throw e;
      }
    });
  }

  async explain(error) {
    for (const [who, page] of Object.entries(this.people)) {
      const text = await page.locator("body").innerText().catch(() => "(no page)");
      await page.screenshot({ path: path.join(SCREENSHOTS, `FAILED-${this.prefix}-${who}.png`), fullPage: true }).catch(() => {});
      console.log(`--- ${who} at ${page.url()}:\n${text.slice(0, 3000)}`);
    }
    console.log(`--- server output (last lines):\n${this.server.output?.().split("\n").slice(-30).join("\n")}`);
    console.log(`--- error: ${error.message}`);
  }

  /** A new person with a cookie jar of their own. */
  async open(who, options) {
    const context = await personContext(this.browser, options);
    const page = await context.newPage();
    this.inspector.watch(page);
    this.people[who] = page;
    return page;
  }

  /** Signs `person` ({ email, password }) in on `page` (signed out by then). */
  async signIn(page, person) {
    await page.goto(`${this.server.url}/login`);
    await page.getByLabel("Email address").fill(person.email);
    await page.getByLabel("Password").fill(person.password);
    await page.getByRole("button", { name: "Sign in" }).click();
  }

  /** axe-core, screenshots and the Tab walk of the current page (lib/browser.mjs). */
  async look(page, name) {
    const found = await this.inspector.look(page, `${this.prefix}-${name}`);
    for (const v of found) console.log(`axe [${v.impact}] ${v.id} on ${name} (${v.width}): ${v.help}`);
  }
}

/** Asserts that the page's text holds each of `texts` (strings or regular expressions). */
export async function sees(page, ...texts) {
  const body = await page.locator("body").innerText();
  for (const text of texts) {
    if (text instanceof RegExp) assert.match(body, text, `${page.url()} should show ${text}`);
    else assert.ok(body.includes(text), `${page.url()} should show "${text}"; it shows:\n${body}`);
  }
}

/** Asserts that the page's text holds none of `texts`. */
export async function doesNotSee(page, ...texts) {
  const body = await page.locator("body").innerText();
  for (const text of texts) assert.ok(!body.includes(text), `${page.url()} must not show "${text}"`);
}

/**
 * On `/me/second-factor`, where an organizer lands at their first sign-in: turns two-step
 * sign-in on as a person with an authenticator app would, and leaves for `/admin`.
 */
export async function turnOnSecondFactor(page, password) {
  await page.waitForURL("**/me/second-factor");
  await page.getByLabel("Current password").fill(password);
  await page.getByRole("button", { name: "Continue" }).click();
  const secret = (await page.locator("#totp-secret").innerText()).trim();
  await page.getByLabel("Code from the app").fill(totp(secret).code);
  await page.getByRole("button", { name: "Turn on" }).click();
  await page.getByRole("link", { name: /I have saved them/ }).click();
  await page.waitForURL("**/admin");
}

/** Chooses the option of `select` whose text contains `text` (labels carry seats or countries). */
export async function choose(select, text) {
  const options = await select.locator("option").allInnerTexts();
  const found = options.find((o) => o.includes(text));
  assert.ok(found, `an option with "${text}" among ${options.join(" | ")}`);
  await select.selectOption({ label: found });
}
