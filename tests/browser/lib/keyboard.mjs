// The keyboard walk `look()` runs on every page: Tab from the top of the page, as a person
// without a mouse does, and check that every visible link, button and form control gets
// the focus, and that the focus can be seen where it lands.

/** Tab presses per page before the walk gives up (and says so). */
export const MAX_TABS = 200;

/**
 * Walks `page` with Tab. Returns findings as strings ("unreachable: …", "no visible focus:
 * …", "cap: …"), empty when the page passes. Puts the focus back where it was.
 */
export async function walkWithTab(page) {
  const count = await page.evaluate(markCandidates);
  const seen = new Set();
  const findings = [];
  let capped = true;
  for (let i = 0; i < MAX_TABS; i++) {
    await page.keyboard.press("Tab");
    const stop = await page.evaluate(inspectFocus);
    if (stop.left) {
      capped = false; // past the last stop: the focus left the page
      break;
    }
    if (stop.index === 0 && seen.has(0)) {
      capped = false; // wrapped around to the first stop
      break;
    }
    if (stop.index !== null) seen.add(stop.index);
    if (stop.problem) findings.push(stop.problem);
  }
  const missed = await page.evaluate((reached) => {
    const all = window.__keyboardWalk.candidates;
    const names = new Set(reached.map((i) => all[i]).filter((el) => el.type === "radio").map((el) => el.name));
    return all
      .map((el, i) => ({ el, i }))
      // A radio group is one Tab stop: the arrows move inside it.
      .filter(({ el, i }) => !reached.includes(i) && !(el.type === "radio" && names.has(el.name)))
      .map(({ el }) => window.__keyboardWalk.describe(el));
  }, [...seen]);
  for (const m of missed) findings.push(`unreachable with Tab: ${m}`);
  if (capped) findings.push(`cap: ${MAX_TABS} Tab presses did not reach the end of the page (${seen.size} of ${count} stops seen)`);
  // The focus goes back where it was (an autofocus field stays ready for typing).
  await page.evaluate(() => {
    const { before } = window.__keyboardWalk;
    document.activeElement?.blur?.();
    document.getElementById("keyboard-walk-start")?.remove();
    if (before && before !== document.body) before.focus({ preventScroll: true });
    delete window.__keyboardWalk;
  });
  return [...new Set(findings)];
}

// --- run in the page ---

/** Lists what a keyboard must reach, notes how each looks unfocused, puts the focus at the top. */
function markCandidates() {
  const selector = "a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]:not([tabindex='-1'])";
  const visible = (el) => {
    if (el.disabled || el.closest("[inert]")) return false;
    const closed = el.closest("details:not([open])");
    if (closed && el.tagName !== "SUMMARY") return false;
    if (closed && el.closest("details") !== closed) return false;
    const style = getComputedStyle(el);
    if (style.visibility !== "visible") return false;
    const box = el.getBoundingClientRect();
    return el.getClientRects().length > 0 && (box.width > 0 || box.height > 0);
  };
  const ring = (el) => {
    const s = getComputedStyle(el);
    return { outline: `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}`, style: s.outlineStyle, width: parseFloat(s.outlineWidth) || 0, shadow: s.boxShadow };
  };
  const describe = (el) => {
    const text = (el.getAttribute("aria-label") || el.labels?.[0]?.innerText || el.innerText || el.value || el.getAttribute("title") || "").trim().replace(/\s+/g, " ").slice(0, 60);
    const id = el.id ? `#${el.id}` : "";
    const type = el.type && el.tagName === "INPUT" ? `[type=${el.type}]` : "";
    return `<${el.tagName.toLowerCase()}${id}${type}> "${text}"`;
  };
  const before = document.activeElement;
  before?.blur?.();
  const candidates = [...document.querySelectorAll(selector)].filter(visible);
  const resting = candidates.map(ring);
  // The walk starts before the first element of the page, whatever had the focus.
  const start = document.createElement("span");
  start.id = "keyboard-walk-start";
  start.tabIndex = -1;
  document.body.prepend(start);
  start.focus();
  window.__keyboardWalk = { candidates, resting, ring, describe, before };
  return candidates.length;
}

/** Where the focus is after a Tab, and whether a person can see it there. */
function inspectFocus() {
  const walk = window.__keyboardWalk;
  const el = document.activeElement;
  if (!el || el === document.body || el.id === "keyboard-walk-start") return { left: true, index: null };
  const index = walk.candidates.indexOf(el);
  const box = el.getBoundingClientRect();
  const onScreen = box.bottom > 0 && box.right > 0 && box.top < innerHeight && box.left < innerWidth;
  if (!onScreen) return { index, problem: `focus off screen: ${walk.describe(el)}` };
  // A stop the list did not expect (a scrolling box, say) must show its focus too.
  const before = index === -1 ? { outline: "", shadow: "none" } : walk.resting[index];
  const now = walk.ring(el);
  const outline = now.style !== "none" && now.width >= 2 && now.outline !== before.outline;
  const shadow = now.shadow !== "none" && now.shadow !== before.shadow;
  if (outline || shadow) return { index: index === -1 ? null : index };
  return { index: index === -1 ? null : index, problem: `no visible focus: ${walk.describe(el)} (outline ${now.outline}, box-shadow ${now.shadow})` };
}
