import os from "node:os";
import path from "node:path";
import fs from "node:fs";
import { expect, it } from "vitest";
import { GET } from "@/app/api/health/route";
import { disconnectDb } from "@/lib/db";
import { resetEnvCache } from "@/lib/env";
import { startEmbeddedPostgres } from "../../scripts/lib/embedded-postgres";

const call = () => GET(new Request("http://localhost/api/health"), { params: Promise.resolve({}) });

it("answers 200 with db ok while the database is up, and 503 with db down once it is killed", async () => {
  const ok = await call();
  expect(ok.status).toBe(200);
  expect(await ok.json()).toEqual({ status: "ok", db: "ok" });

  // A database of its own that this test can kill without touching other tests.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "guildgate-health-"));
  const cluster = await startEmbeddedPostgres({ dataDir: path.join(dir, "pg"), database: "health", persistent: false });
  const previous = process.env.DATABASE_URL;
  try {
    process.env.DATABASE_URL = cluster.url;
    resetEnvCache();
    await disconnectDb();
    expect((await call()).status).toBe(200);

    await cluster.stop();
    const down = await call();
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual({ status: "degraded", db: "down" });
  } finally {
    process.env.DATABASE_URL = previous;
    resetEnvCache();
    await disconnectDb();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  expect((await call()).status).toBe(200);
});
