import { describe, expect, it } from "vitest";
import { z } from "zod";
import { AppError } from "@/lib/errors/app-error";
import { readJson, route } from "@/lib/http/route";

const ctx = { params: Promise.resolve({}) };
const post = (body: string, headers: Record<string, string> = { "content-type": "application/json" }) =>
  new Request("http://localhost/x", { method: "POST", body, headers });

describe("route()", () => {
  it("turns zod errors into 400 validation_failed with field details", async () => {
    const handler = route(async (req) => Response.json(await readJson(req, z.object({ name: z.string().min(2) }))));
    const res = await handler(post(JSON.stringify({ name: "x" })), ctx);
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.code).toBe("validation_failed");
    expect(body.error.details[0].path).toBe("name");
  });

  it("maps AppError codes to their status and passes Retry-After", async () => {
    const handler = route(async () => {
      throw new AppError("rate_limited", "Slow down.", { retryAfter: 2.2 });
    });
    const res = await handler(new Request("http://localhost/x"), ctx);
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("3");
    expect((await res.json()).error).toMatchObject({ code: "rate_limited", message: "Slow down." });
  });

  it("answers 500 with a request id and no internal text for unexpected errors", async () => {
    const handler = route(async () => {
      throw new Error("connection to 10.0.0.5 failed: password=hunter2");
    });
    const res = await handler(new Request("http://localhost/x", { headers: { "x-request-id": "req-12345678" } }), ctx);
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toContain("hunter2");
    expect(text).not.toContain("10.0.0.5");
    expect(JSON.parse(text).error).toMatchObject({ code: "internal_error", requestId: "req-12345678" });
  });

  it("rejects malformed JSON, oversized bodies and other content types", async () => {
    const handler = route(async (req) => Response.json(await readJson(req, z.unknown(), { maxBytes: 32 })));
    expect((await (await handler(post("{nope"), ctx)).json()).error.code).toBe("invalid_json");
    expect((await handler(post(JSON.stringify({ a: "x".repeat(64) })), ctx)).status).toBe(413);
    expect((await handler(post("{}", { "content-type": "text/plain" }), ctx)).status).toBe(415);
    expect((await handler(post('{"ok":1}'), ctx)).status).toBe(200);
  });
});
