// Timeouts and aborts are told apart from network failures by DOMException's stable code, not by an error's name.
import { describe, expect, it } from "vitest";
import { isAbortOrTimeout } from "@/lib/discord/errors";

describe("isAbortOrTimeout", () => {
  it("is true for what an aborted or timed-out fetch rejects with", async () => {
    const aborted = new AbortController();
    aborted.abort();
    expect(isAbortOrTimeout(aborted.signal.reason)).toBe(true);
    const timedOut = AbortSignal.timeout(1);
    await new Promise((resolve) => timedOut.addEventListener("abort", resolve));
    expect(isAbortOrTimeout(timedOut.reason)).toBe(true);
  });

  it("is false for other errors, whatever they are called", () => {
    const named = new Error("socket hang up");
    named.name = "AbortError";
    expect(isAbortOrTimeout(named)).toBe(false);
    expect(isAbortOrTimeout(new DOMException("bad", "SyntaxError"))).toBe(false);
    expect(isAbortOrTimeout(new TypeError("fetch failed"))).toBe(false);
  });
});
