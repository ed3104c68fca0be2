// /api/ready: ready only with the database up, every shipped migration applied and a job runner heartbeating in
// the worker registry ("JobWorker"); the queue backlog is reported. Each not-ready case answers 503 and says which check failed.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Runner } from "graphile-worker";
import { afterEach, expect, it } from "vitest";
import { GET } from "@/app/api/ready/route";
import { db } from "@/lib/db";
import { checkReadiness } from "@/lib/health/readiness";
import { addJob } from "@/lib/jobs/add-job";
import { ensureJobSchema } from "@/lib/jobs/migrate";
import { startTestRunner } from "~tests/helpers/job-runner";

const call = () => GET(new Request("http://localhost/api/ready"), { params: Promise.resolve({}) });
let runner: Runner | undefined;

afterEach(async () => {
  await runner?.stop();
  runner = undefined;
});

/** A runner registered in the worker registry (rows other test files left behind are removed first). */
async function startFreshRunner(): Promise<Runner> {
  await ensureJobSchema();
  await db.$executeRawUnsafe(`DELETE FROM "JobWorker"`);
  const started = await startTestRunner({});
  // The registry's first beat runs as the pool starts; wait until it is in.
  for (let i = 0; i < 100 && (await db.jobWorker.count()) === 0; i++) await new Promise((r) => setTimeout(r, 50));
  return started;
}

it("is ready with the database up, all migrations applied and a runner alive, and reports the backlog", async () => {
  runner = await startFreshRunner();
  // Due jobs of a task no runner knows: the backlog counts them and ages from the oldest.
  await addJob({ tx: db, identifier: "ops-test-noop", payload: {}, runAt: new Date(Date.now() - 90_000) });
  await addJob({ tx: db, identifier: "ops-test-noop", payload: {} });

  const res = await call();
  expect(res.status).toBe(200);
  const body = await res.json();
  const shipped = fs
    .readdirSync(path.resolve("prisma/migrations"))
    .filter((n) => fs.existsSync(path.resolve("prisma/migrations", n, "migration.sql")));
  expect(body).toMatchObject({
    status: "ready",
    database: "ok",
    migrations: { status: "ok", shipped: shipped.length, pending: [] },
    jobRunner: { status: "ok" },
    queue: { ready: 2 },
  });
  expect(body.queue.oldestReadySeconds).toBeGreaterThanOrEqual(89);
  // The runner's own heartbeat, seconds old (graphile-worker's crontab record would be up to a minute old).
  expect(Date.now() - Date.parse(body.jobRunner.lastSeenAt)).toBeLessThan(30_000);
});

it("is not ready (503) when the only runner stopped heartbeating a minute ago, or none is registered", async () => {
  runner = await startFreshRunner();
  await runner.stop();
  runner = undefined;
  // What a kill -9 leaves: the row stays, its beats stop.
  await db.$executeRawUnsafe(
    `INSERT INTO "JobWorker" (id, "lastSeenAt") VALUES ('killed-runner', now() - interval '61 seconds')`,
  );
  const res = await call();
  expect(res.status).toBe(503);
  expect(await res.json()).toMatchObject({
    status: "not_ready",
    database: "ok",
    migrations: { status: "ok" },
    jobRunner: { status: "stale" },
  });

  // A runner stopped cleanly removes its row: no runner at all.
  await db.$executeRawUnsafe(`DELETE FROM "JobWorker"`);
  expect(await (await call()).json()).toMatchObject({
    status: "not_ready",
    jobRunner: { status: "absent", lastSeenAt: null },
  });
});

it("is not ready while a migration shipped with the build is not applied", async () => {
  runner = await startFreshRunner();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "guildgate-migrations-"));
  try {
    fs.cpSync(path.resolve("prisma/migrations"), dir, { recursive: true });
    fs.mkdirSync(path.join(dir, "20991231000000_from_the_future"));
    fs.writeFileSync(path.join(dir, "20991231000000_from_the_future", "migration.sql"), "SELECT 1;");
    const readiness = await checkReadiness({ migrationsDir: dir });
    expect(readiness.ready).toBe(false);
    expect(readiness.migrations).toMatchObject({ status: "pending", pending: ["20991231000000_from_the_future"] });
    expect(readiness.jobRunner.status).toBe("ok");

    // A build whose migrations cannot be found is not ready either.
    expect(await checkReadiness({ migrationsDir: path.join(dir, "missing") })).toMatchObject({
      ready: false,
      migrations: { status: "unknown" },
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
