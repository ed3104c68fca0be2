// Anyone can POST to /api/discord/interactions/<any snowflake>. What needs no key (missing or malformed signature
// headers, a timestamp outside the window, an oversized body) is refused before any database read (issue 23 item 6):
// with PostgreSQL unreachable those requests still answer 401/413, while a well-formed one, which needs the
// application's key from the database, answers 503.
import { expect, it } from "vitest";
import { POST } from "@/app/api/discord/interactions/[applicationId]/route";
import { disconnectDb } from "@/lib/db";
import { resetEnvCache } from "@/lib/env";
import { signInteraction, strangerKeys } from "~tests/fakes/discord/interactions";

const APPLICATION_ID = "1180000000000000001";
const previousUrl = process.env.DATABASE_URL;

/** Runs `check` with the app's database unreachable (nothing listens on port 1: any read fails at once). */
async function withoutDatabase(check: () => Promise<void>): Promise<void> {
  process.env.DATABASE_URL = "postgresql://guildgate:guildgate@127.0.0.1:1/unreachable";
  resetEnvCache();
  await disconnectDb();
  try {
    await check();
  } finally {
    process.env.DATABASE_URL = previousUrl;
    resetEnvCache();
    await disconnectDb();
  }
}

const body = JSON.stringify({ type: 1, application_id: APPLICATION_ID, id: "1", token: "t", version: 1 });
const post = (headers: Record<string, string>, text = body) =>
  POST(
    new Request(`http://localhost/api/discord/interactions/${APPLICATION_ID}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: text,
    }),
    { params: Promise.resolve({ applicationId: APPLICATION_ID }) },
  );
const now = () => Math.floor(Date.now() / 1000);
const signed = (timestamp: number) => signInteraction(body, timestamp, strangerKeys().privateKey);

it("refuses unsigned, malformed, stale and oversized requests without reading the database", () =>
  withoutDatabase(async () => {
    const fresh = signed(now());
    const cases: [string, Record<string, string>, number, string?][] = [
      ["no headers", {}, 401],
      ["no timestamp", { "X-Signature-Ed25519": fresh["X-Signature-Ed25519"]! }, 401],
      ["no signature", { "X-Signature-Timestamp": fresh["X-Signature-Timestamp"]! }, 401],
      ["signature not hex", { ...fresh, "X-Signature-Ed25519": "zz".repeat(64) }, 401],
      ["signature too short", { ...fresh, "X-Signature-Ed25519": "ab".repeat(32) }, 401],
      ["timestamp not a number", { ...fresh, "X-Signature-Timestamp": "yesterday" }, 401],
      ["timestamp an hour old", signed(now() - 3_600), 401],
      ["timestamp an hour ahead", signed(now() + 3_600), 401],
      ["body over 64 KB", fresh, 413, "x".repeat(70 * 1024)],
    ];
    for (const [name, headers, status, text] of cases) {
      const res = await post(headers, text);
      expect(res.status, name).toBe(status);
      expect((await res.json()).error.code, name).not.toBe("service_unavailable");
    }
    // A well-formed, fresh request is checked against the application's key, which lives in the database.
    const res = await post(fresh);
    expect(res.status).toBe(503);
  }));
