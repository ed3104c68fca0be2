// The failed badge's reason: shown on hover and keyboard focus, placed against the viewport (so the table's scroll
// box cannot clip it), upwards when there is no room below. jsdom has no layout: the boxes are given per test.
import { fireEvent, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, expect, it, vi } from "vitest";
import { FailureReason } from "@/components/applications/failure-reason";

type Box = { top: number; left: number; width: number; height: number };

/** Gives the trigger and the tooltip these boxes (in viewport coordinates; jsdom's viewport is 1024 x 768). */
function layout(trigger: Box, tooltip: Box) {
  vi.spyOn(HTMLElement.prototype, "getBoundingClientRect").mockImplementation(function (this: HTMLElement) {
    const b = this.getAttribute("role") === "tooltip" ? tooltip : trigger;
    return { ...b, x: b.left, y: b.top, right: b.left + b.width, bottom: b.top + b.height, toJSON: () => b } as DOMRect;
  });
}

function renderReason() {
  render(
    <FailureReason id="reason-a1" reason="Move the bot's role above the approved role.">
      <span>Approved – Role assignment failed</span>
    </FailureReason>,
  );
  return {
    trigger: screen.getByText("Approved – Role assignment failed").parentElement!,
    tooltip: screen.getByRole("tooltip", { hidden: true }),
  };
}

afterEach(() => {
  vi.restoreAllMocks();
});

it("is closed until focused, opens on keyboard focus, closes on Escape and on blur; the trigger is described by it", async () => {
  layout({ top: 100, left: 50, width: 200, height: 24 }, { top: 0, left: 0, width: 300, height: 80 });
  const { trigger, tooltip } = renderReason();
  expect(trigger.getAttribute("aria-describedby")).toBe(tooltip.id);
  expect(tooltip.dataset.open).toBeUndefined();

  await userEvent.tab();
  expect(document.activeElement).toBe(trigger);
  expect(tooltip.dataset.open).toBe("true");
  await userEvent.keyboard("{Escape}");
  expect(tooltip.dataset.open).toBeUndefined();

  fireEvent.focus(trigger);
  expect(tooltip.dataset.open).toBe("true");
  await userEvent.tab();
  expect(tooltip.dataset.open).toBeUndefined();
});

it("a click (or a tap on a phone) keeps it open without hover or focus; a second click closes it", async () => {
  layout({ top: 100, left: 50, width: 200, height: 24 }, { top: 0, left: 0, width: 300, height: 80 });
  const { trigger, tooltip } = renderReason();
  expect(trigger.tagName).toBe("BUTTON");
  expect(trigger.getAttribute("aria-expanded")).toBe("false");
  fireEvent.click(trigger);
  expect(tooltip.dataset.open).toBe("true");
  expect(trigger.getAttribute("aria-expanded")).toBe("true");
  fireEvent.click(trigger);
  expect(tooltip.dataset.open).toBeUndefined();
});

it("opens on hover and closes when the pointer leaves", async () => {
  layout({ top: 100, left: 50, width: 200, height: 24 }, { top: 0, left: 0, width: 300, height: 80 });
  const { trigger, tooltip } = renderReason();
  await userEvent.hover(trigger);
  expect(tooltip.dataset.open).toBe("true");
  await userEvent.unhover(trigger);
  expect(tooltip.dataset.open).toBeUndefined();
});

it("opens below the badge when there is room", async () => {
  layout({ top: 100, left: 50, width: 200, height: 24 }, { top: 0, left: 0, width: 300, height: 80 });
  const { trigger, tooltip } = renderReason();
  fireEvent.focus(trigger);
  expect(tooltip.dataset.side).toBe("below");
  expect(tooltip.style.top).toBe("130px"); // 100 + 24 + the 6 px gap
  expect(tooltip.style.left).toBe("50px");
});

it("opens upwards when the badge is near the bottom of the screen", async () => {
  layout({ top: 720, left: 50, width: 200, height: 24 }, { top: 0, left: 0, width: 300, height: 80 });
  const { trigger, tooltip } = renderReason();
  fireEvent.focus(trigger);
  expect(tooltip.dataset.side).toBe("above");
  expect(tooltip.style.top).toBe("634px"); // 720 - 6 - 80
});

it("stays inside the screen sideways", async () => {
  layout({ top: 100, left: 900, width: 120, height: 24 }, { top: 0, left: 0, width: 300, height: 80 });
  const { trigger, tooltip } = renderReason();
  fireEvent.focus(trigger);
  expect(tooltip.style.left).toBe("718px"); // 1024 - 6 - 300
});

it("follows the badge when something scrolls while it is open", async () => {
  layout({ top: 100, left: 50, width: 200, height: 24 }, { top: 0, left: 0, width: 300, height: 80 });
  const { trigger, tooltip } = renderReason();
  fireEvent.focus(trigger);
  layout({ top: 40, left: 50, width: 200, height: 24 }, { top: 0, left: 0, width: 300, height: 80 });
  fireEvent.scroll(window);
  expect(tooltip.style.top).toBe("70px");
});
