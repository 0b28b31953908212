// The agenda's grid scaled to time, measured in chromium (issue 17, "an agenda that reads
// like a program"), on the demo meeting that `csirt-meet demo` loads into the server's own
// database: a 90-minute block is three times as tall as a 30-minute one, parallel sessions
// sit side by side on the same rows, no block covers another, the grid's pick buttons are
// at least 24 × 24 CSS px and light, breaks and meals have none; at 375 px wide with
// scripts off the list fits the screen (no sideways scrolling) and its thumb-sized buttons
// work. Screenshots: screenshots/NN-grid-*.png.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";

import { launch, personContext, Inspector } from "./lib/browser.mjs";
import { startServer } from "./lib/server.mjs";
import { DEMO, loadDemo } from "./lib/demo.mjs";

const SLUG = DEMO.slug;
const ATTENDEE = DEMO.attendee;
// The demo's first day (src/cli/demo_agenda.rs), times in Denver.
const HALF_HOUR = "Welcome from the hosts"; // 09:00–09:30, Main Hall
const NINETY = "Malware triage at national scale"; // 14:30–16:00, Room Aspen
const PARALLEL = ["Incident review: the ministry intrusion", "Building a national CSIRT from zero"]; // 11:00–12:00
const FOR_EVERYONE = ["Registration and coffee", "Coffee break", "Lunch"]; // meals and a break, no room
const NARROW = { width: 375, height: 812 };

const server = {};
const inspector = new Inspector();
let browser;
let password;

async function signIn(page) {
  await page.goto(`${server.url}/login`);
  await page.getByLabel("Email address").fill(ATTENDEE);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL("**/me");
}

/** The box of the grid's block of the session titled `title`. */
async function box(page, title) {
  const block = page.locator(".agenda-grid article.session", { hasText: title });
  assert.equal(await block.count(), 1, `one block for ${title}`);
  return block.evaluate((el) => {
    const r = el.getBoundingClientRect();
    return { top: r.top, bottom: r.bottom, left: r.left, right: r.right, height: r.height, width: r.width };
  });
}

/** What the next page shows, on a failure. */
async function explain(page) {
  const text = await page.locator("body").innerText().catch(() => "(no page)");
  console.log(`--- at ${page.url()}:\n${text.slice(0, 3000)}\n--- server (last lines):\n${server.output?.().split("\n").slice(-20).join("\n")}`);
}

describe("the agenda grid scaled to time", () => {
  before(async () => {
    Object.assign(server, await startServer());
    password = (await loadDemo(server)).attendee;
    browser = await launch();
  });

  after(async () => {
    await browser?.close();
    await server.stop?.();
  });

  test("at 1280 wide, blocks are as tall as they are long, side by side when parallel, with small pick buttons", async () => {
    const page = await (await personContext(browser)).newPage();
    inspector.watch(page);
    try {
      await signIn(page);
      await page.goto(`${server.url}/meetings/${SLUG}/agenda`);
      assert.ok(await page.locator(".agenda-grid").isVisible(), "the grid shows at 1280 wide");
      // Nothing hovered or focused: a hovered block grows to show all of its text.
      await page.mouse.move(0, 0);

      const [half, ninety] = [await box(page, HALF_HOUR), await box(page, NINETY)];
      assert.ok(half.height > 40, `a 30-minute block has room for its title: ${half.height}px`);
      assert.ok(Math.abs(ninety.height - 3 * half.height) <= 1, `90 minutes: ${ninety.height}px, 30 minutes: ${half.height}px`);
      const meal = await box(page, FOR_EVERYONE[0]);
      assert.ok(Math.abs(meal.height - half.height) <= 1, `a 30-minute meal is as tall as a 30-minute talk`);
      assert.ok(Math.abs(meal.bottom - half.top) <= 1, "the 08:30 meal ends where the 09:00 talk begins");

      const [a, b] = [await box(page, PARALLEL[0]), await box(page, PARALLEL[1])];
      assert.ok(Math.abs(a.top - b.top) <= 0.5 && Math.abs(a.height - b.height) <= 0.5, "parallel: the same rows");
      assert.ok(a.right <= b.left || b.right <= a.left, "parallel: side by side");
      for (const title of FOR_EVERYONE) {
        const across = await box(page, title);
        assert.ok(across.left <= Math.min(a.left, b.left) + 0.5 && across.right >= Math.max(a.right, b.right) - 0.5, `${title} spans the rooms`);
      }

      // No block covers another.
      const blocks = await page.locator(".agenda-grid article.session").evaluateAll((els) =>
        els.map((el) => ({ title: el.querySelector(".session-title").innerText, ...el.getBoundingClientRect().toJSON() })),
      );
      assert.ok(blocks.length >= 10, `the first day's blocks: ${blocks.length}`);
      for (const [i, p] of blocks.entries()) {
        for (const q of blocks.slice(i + 1)) {
          const apart = p.right <= q.left + 0.5 || q.right <= p.left + 0.5 || p.bottom <= q.top + 0.5 || q.bottom <= p.top + 0.5;
          assert.ok(apart, `"${p.title}" and "${q.title}" overlap`);
        }
      }

      // The grid's buttons: at least 24 × 24 (WCAG 2.5.8), light (no filled background).
      const buttons = await page.locator(".agenda-grid button.pick").evaluateAll((els) =>
        els.map((el) => {
          const r = el.getBoundingClientRect();
          return { name: el.innerText + el.textContent, width: r.width, height: r.height, background: getComputedStyle(el).backgroundColor };
        }),
      );
      assert.ok(buttons.length >= 6, `pick buttons in the grid: ${buttons.length}`);
      for (const btn of buttons) {
        assert.ok(btn.width >= 24 && btn.height >= 24, `${btn.name}: ${btn.width} × ${btn.height}`);
        assert.ok(btn.height <= 32, `${btn.name} stays small in the grid: ${btn.height}px high`);
      }
      const add = page.getByRole("button", { name: `Add ${HALF_HOUR} to my agenda` });
      assert.equal(await add.evaluate((el) => getComputedStyle(el).backgroundColor), "rgb(255, 255, 255)", "light: white, not filled");
      for (const title of FOR_EVERYONE) {
        const block = page.locator(".agenda-grid article.session", { hasText: title });
        assert.equal(await block.locator("button").count(), 0, `no button on ${title}`);
      }
      await inspector.look(page, "grid-day");
      await page.mouse.move(0, 0);
    } catch (e) {
      await explain(page);
      throw e;
    }
  });

  test("at 375 wide with scripts off, the list fits the screen and its thumb-sized buttons work", async () => {
    const page = await (await personContext(browser, { viewport: NARROW, javaScriptEnabled: false })).newPage();
    try {
      await signIn(page);
      await page.goto(`${server.url}/meetings/${SLUG}/agenda`);
      const list = page.locator(".agenda-list");
      assert.ok(await list.isVisible(), "the list shows at 375 wide");
      assert.ok(!(await page.locator(".agenda-grid").isVisible()), "the grid does not");
      const sideways = await page.evaluate(() => ({
        scroll: document.documentElement.scrollWidth,
        client: document.documentElement.clientWidth,
        widest: Math.max(...[...document.querySelectorAll(".agenda-list *")].map((el) => el.getBoundingClientRect().right)),
      }));
      assert.ok(sideways.scroll <= sideways.client, `no sideways scrolling: ${JSON.stringify(sideways)}`);
      assert.ok(sideways.widest <= NARROW.width, `the list stays inside the screen: ${JSON.stringify(sideways)}`);

      // The day shown (the other days' lists are for print).
      const day = page.locator(".agenda-list .agenda-day:not(.other-day)");
      const heights = await day.locator("button.pick").evaluateAll((els) => els.map((el) => el.getBoundingClientRect().height));
      assert.ok(heights.length >= 4 && heights.every((h) => h >= 44), `thumb-sized list buttons: ${heights}`);
      for (const title of FOR_EVERYONE) {
        const item = day.locator("article.session", { hasText: title });
        assert.equal(await item.locator("button").count(), 0, `no button on ${title} in the list`);
      }
      await day.getByRole("button", { name: `Add ${HALF_HOUR} to my agenda` }).click();
      await day.getByRole("button", { name: `Remove ${HALF_HOUR} from my agenda` }).waitFor();
      const item = day.locator("article.session", { hasText: HALF_HOUR });
      assert.match(await item.innerText(), /in my agenda/);
      await inspector.look(page, "grid-list-noscript", { axe: false });
    } catch (e) {
      await explain(page);
      throw e;
    }
  });

  test("no script error, no serious axe finding, and Tab reaches everything on the grid", () => {
    assert.deepEqual(inspector.pageErrors, [], "uncaught script errors");
    assert.equal(inspector.violations.length, 0, `axe-core findings:\n${inspector.report()}`);
    assert.equal(inspector.keyboard.length, 0, `keyboard findings:\n${inspector.keyboardReport()}`);
  });
});
