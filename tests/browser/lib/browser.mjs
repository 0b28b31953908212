// Debian's chromium driven by playwright-core (no browser download), one context per
// person, and `look(page, name)`: axe-core on the page plus a screenshot at a desktop
// and a phone width.
import { mkdir, readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

import { walkWithTab } from "./keyboard.mjs";

const require = createRequire(import.meta.url);
const HERE = path.dirname(fileURLToPath(import.meta.url));
export const SCREENSHOTS = path.resolve(HERE, "../screenshots");
const AXE_SOURCE = await readFile(require.resolve("axe-core/axe.min.js"), "utf8");

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };
/** Impacts that fail the suite. */
const BLOCKING = new Set(["serious", "critical"]);

/**
 * `backForwardCache: true` keeps chromium's back/forward cache, which playwright-core turns
 * off by default: a journey about what Back shows needs the browser people have.
 */
export async function launch({ backForwardCache = false } = {}) {
  const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";
  return chromium.launch({
    executablePath,
    // playwright-core adds its own headless switch; these are the ones the project asks for.
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    ignoreDefaultArgs: backForwardCache ? ["--disable-back-forward-cache"] : [],
  });
}

/**
 * A fresh cookie jar for one person. `bypassCSP` lets the injected axe-core run under the
 * app's Content-Security-Policy; the app's own pages are not changed by it.
 */
export async function personContext(browser, options = {}) {
  const context = await browser.newContext({ viewport: DESKTOP, bypassCSP: true, locale: "en-GB", ...options });
  context.setDefaultTimeout(15_000);
  return context;
}

/** Collects axe findings and script errors across the journeys. */
export class Inspector {
  constructor() {
    this.violations = []; // { page, width, id, impact, help, targets }
    this.pageErrors = []; // { page, message }
    this.keyboard = []; // { page, path, width, finding }
    this.shots = 0;
    this.pages = new Set();
  }

  /** Listens for uncaught script errors on `page` (the app's own scripts must not throw). */
  watch(page) {
    page.on("pageerror", (err) => this.pageErrors.push({ page: page.url(), message: String(err) }));
  }

  /**
   * axe-core and a screenshot of the current page at both widths, saved as
   * screenshots/NN-name-desktop.png and -phone.png, then a walk through the page with Tab
   * at both widths (lib/keyboard.mjs). Returns the blocking axe findings; keyboard
   * findings are kept for the last test. `axe: false` only for a context with scripts
   * off, where axe-core cannot run (the same pages are checked with scripts on).
   */
  async look(page, name, { axe = true } = {}) {
    await mkdir(SCREENSHOTS, { recursive: true });
    const seq = String(++this.shots).padStart(2, "0");
    const url = new URL(page.url());
    this.pages.add(url.pathname.replace(/[0-9a-f]{64}/g, "{token}"));
    const found = [];
    for (const [label, size] of [["desktop", DESKTOP], ["phone", PHONE]]) {
      await page.setViewportSize(size);
      await page.screenshot({ path: path.join(SCREENSHOTS, `${seq}-${name}-${label}.png`), fullPage: true });
      if (axe) found.push(...(await this.axe(page, `${seq}-${name}`, label)));
    }
    // Both widths: a phone layout must not hide what still takes the focus.
    for (const [label, size] of [["phone", PHONE], ["desktop", DESKTOP]]) {
      await page.setViewportSize(size);
      for (const finding of await walkWithTab(page)) {
        this.keyboard.push({ page: `${seq}-${name}`, path: url.pathname, width: label, finding });
      }
    }
    return found;
  }

  async axe(page, name, width) {
    const present = await page.evaluate(() => typeof window.axe !== "undefined");
    if (!present) await page.addScriptTag({ content: AXE_SOURCE });
    const result = await page.evaluate(() =>
      window.axe.run(document, { resultTypes: ["violations"] }).then((r) =>
        r.violations.map((v) => ({
          id: v.id,
          impact: v.impact,
          help: v.help,
          targets: v.nodes.map((n) => `${n.target.join(" ")} — ${n.failureSummary.replace(/\s+/g, " ")}`),
        })),
      ),
    );
    const blocking = result
      .filter((v) => BLOCKING.has(v.impact))
      .map((v) => ({ page: name, path: new URL(page.url()).pathname, width, ...v }));
    this.violations.push(...blocking);
    return blocking;
  }

  /** The keyboard walk's findings, one a line. */
  keyboardReport() {
    return this.keyboard.map((k) => `${k.page} (${k.path}, ${k.width}): ${k.finding}`).join("\n");
  }

  /** Human-readable list of the blocking findings, grouped by rule. */
  report() {
    return this.violations
      .map((v) => `[${v.impact}] ${v.id} on ${v.page} (${v.path}, ${v.width}): ${v.help}\n    ${v.targets.join("\n    ")}`)
      .join("\n");
  }
}
