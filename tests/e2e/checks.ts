// What every captured state of a journey must satisfy, at 1280 and 390 px wide in the light and the dark theme:
// no sideways overflow, every control reachable (inside the screen and inside every clipping box around it), and
// axe-core with no serious or critical violation. `capture` checks all four and saves a screenshot of each.
import AxeBuilder from "@axe-core/playwright";
import assert from "node:assert/strict";
import type { Page } from "playwright-core";

export const WIDTHS = [1280, 390] as const;
export const SCHEMES = ["light", "dark"] as const;

// Strings, not functions: tsx would wrap a function's inner helpers in __name(), which the page does not have.
/** How much wider than the screen the page is, and the widest elements not inside a scroller. */
export const OVERFLOW_PROBE = `(() => {
  const clipped = (el) => { for (let p = el.parentElement; p; p = p.parentElement) if (getComputedStyle(p).overflowX !== "visible") return true; return false; };
  const culprits = [...document.querySelectorAll("body *")]
    .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1 && !clipped(el))
    .slice(0, 5)
    .map((el) => el.tagName.toLowerCase() + "." + String(el.className).slice(0, 40) + " (right " + Math.round(el.getBoundingClientRect().right) + ")");
  return { extra: document.documentElement.scrollWidth - window.innerWidth, culprits };
})()`;

/**
 * Controls that cannot be reached without scrolling sideways: right of the screen, or cut by a box that clips
 * (a table's scroll box). Off-screen-left on purpose (the skip link until focused) is allowed.
 */
export const REACH_PROBE = `(() => {
  const controls = [...document.querySelectorAll("a[href], button, input, select, textarea, [tabindex]:not([tabindex='-1'])")];
  const out = [];
  for (const el of controls) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    const style = getComputedStyle(el);
    if (style.visibility === "hidden") continue;
    if (r.right < 0) continue;
    let right = window.innerWidth;
    let left = 0;
    for (let p = el.parentElement; p; p = p.parentElement) {
      if (getComputedStyle(p).overflowX !== "visible") {
        const b = p.getBoundingClientRect();
        right = Math.min(right, b.right);
        left = Math.max(left, b.left);
      }
    }
    if (r.right > right + 1 || r.left < left - 1) {
      out.push((el.getAttribute("aria-label") || el.textContent || el.tagName).trim().slice(0, 50) + " [" + Math.round(r.left) + "–" + Math.round(r.right) + " of " + Math.round(left) + "–" + Math.round(right) + "]");
    }
  }
  return out;
})()`;

/** Boxes that scroll sideways because their content does not fit (a table wider than its box hides its actions). */
export const SCROLLER_PROBE = `(() => [...document.querySelectorAll("body *")]
  .filter((el) => el.tagName !== "TEXTAREA" && ["auto", "scroll"].includes(getComputedStyle(el).overflowX) && el.scrollWidth > el.clientWidth + 1)
  .map((el) => el.tagName.toLowerCase() + "." + String(el.className).slice(0, 40) + " (" + el.scrollWidth + " > " + el.clientWidth + ")"))()`;

export async function assertLayout(page: Page, label: string): Promise<void> {
  const overflow = (await page.evaluate(OVERFLOW_PROBE)) as { extra: number; culprits: string[] };
  assert.ok(
    overflow.extra <= 1,
    `${label}: the page is ${overflow.extra}px wider than the screen: ${overflow.culprits.join(", ")}`,
  );
  const unreachable = (await page.evaluate(REACH_PROBE)) as string[];
  assert.deepEqual(unreachable, [], `${label}: controls cut off or off-screen`);
  const scrolling = (await page.evaluate(SCROLLER_PROBE)) as string[];
  assert.deepEqual(scrolling, [], `${label}: content wider than its box (it scrolls sideways)`);
}

/** Axe with WCAG 2.x A/AA and best practices, plus 2.5.3 label-in-name (experimental in axe, so enabled by name). */
export async function assertAccessible(page: Page, label: string): Promise<number> {
  const results = await new AxeBuilder({ page })
    .options({ rules: { "label-content-name-mismatch": { enabled: true } } })
    .analyze();
  const bad = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  const text = bad
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes
          .slice(0, 4)
          .map((n) => `${n.target.join(" ")} ${n.failureSummary?.split("\n").slice(1, 2).join("") ?? ""}`)
          .join("\n    ")}`,
    )
    .join("\n  ");
  assert.equal(bad.length, 0, `${label}: axe found serious/critical violations:\n  ${text}`);
  return results.passes.length;
}

export type CaptureStats = { scans: number };
export const captureStats: CaptureStats = { scans: 0 };

/**
 * The state on screen, checked and photographed in both widths and both themes; the page is left at 1280 px in
 * the light theme. `shot` names and saves a screenshot (the runner's ctx.screenshot).
 */
export async function capture(
  page: Page,
  name: string,
  shot: (page: Page, name: string) => Promise<void>,
  options: { baseUrl: string },
): Promise<void> {
  const ours = page.url().startsWith(options.baseUrl);
  const height = page.viewportSize()?.height ?? 860;
  try {
    for (const scheme of SCHEMES) {
      await page.emulateMedia({ colorScheme: scheme });
      for (const width of WIDTHS) {
        await page.setViewportSize({ width, height });
        // Layout and media queries settle in the next frames.
        await page.evaluate("new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))");
        const label = `${name} at ${width}px, ${scheme}`;
        if (ours) {
          await assertLayout(page, label);
          await assertAccessible(page, label);
          captureStats.scans++;
        }
        await shot(page, `${name}-${scheme}-${width}`);
      }
    }
  } finally {
    await page.emulateMedia({ colorScheme: "light" });
    await page.setViewportSize({ width: 1280, height });
  }
}
