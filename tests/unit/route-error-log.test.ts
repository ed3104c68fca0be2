// An unexpected error's message can quote a secret (a connection string, a token in a URL); pino redacts by key,
// so route() logs the error's name, code and stack frames, never its message.
import { Writable } from "node:stream";
import { expect, it, vi } from "vitest";

const lines = vi.hoisted(() => [] as string[]);
vi.mock("@/lib/logger", async (importOriginal) => {
  const actual = await importOriginal<typeof import("@/lib/logger")>();
  const destination = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
  return { ...actual, logger: actual.createLogger({ level: "info", destination }) };
});

const { route } = await import("@/lib/http/route");
const { safeErrorFields } = await import("@/lib/logger");

it("logs an unexpected error by name, code and stack frames, without the message", async () => {
  const handler = route(async () => {
    throw Object.assign(new Error("connect failed: postgres://app:hunter2@db/x?token=ggt_SECRET"), {
      code: "ERR_INVALID_STATE", // not a connection code: those are outages (503)
    });
  });
  const response = await handler(new Request("http://localhost/x", { headers: { "x-request-id": "req-12345678" } }), {
    params: Promise.resolve({}),
  });
  expect(response.status).toBe(500);
  const out = lines.join("");
  expect(out).not.toContain("hunter2");
  expect(out).not.toContain("ggt_SECRET");
  const entry = JSON.parse(lines.at(-1)!) as { requestId: string; err: { name: string; code: string; stack: string } };
  expect(entry).toMatchObject({ requestId: "req-12345678", err: { name: "Error", code: "ERR_INVALID_STATE" } });
  expect(entry.err.stack).toMatch(/^\s+at /);
});

it("safeErrorFields: a multi-line message stays out of the stack; non-errors give only their type", () => {
  const fields = safeErrorFields(new TypeError("line one\nsecret=abc on line two"));
  expect(fields.name).toBe("TypeError");
  expect(JSON.stringify(fields)).not.toContain("secret=abc");
  expect(safeErrorFields("plain string with token=xyz")).toEqual({ name: "string" });
});
