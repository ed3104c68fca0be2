// An unexpected console.error fails the test that caused it. A test that expects one calls allowConsoleError().
import { afterEach, beforeEach } from "vitest";
import { format } from "node:util";

const original = console.error;
let calls: unknown[][] = [];
let allowed = false;

export function allowConsoleError(): void {
  allowed = true;
}

beforeEach(() => {
  calls = [];
  allowed = false;
  console.error = (...args: unknown[]) => {
    calls.push(args);
    if (allowed) return;
    original(...args);
  };
});

afterEach(() => {
  console.error = original;
  if (calls.length > 0 && !allowed) {
    const text = calls.map((c) => format(...c)).join("\n");
    calls = [];
    throw new Error(`Unexpected console.error during the test:\n${text}`);
  }
});
