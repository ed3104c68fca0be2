// /api/ready: ready only with the database up, every shipped migration applied and a job runner heartbeating in
// the worker registry ("JobWorker"); the queue backlog is reported. Each not-ready case answers 503 and says which check
// failed, to the holder of the metrics token; anyone else gets the state alone. The check's cost does not grow with
// the queue.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Runner } from "graphile-worker";
import { Prisma } from "@/generated/prisma/client";
import { afterEach, beforeEach, expect, it } from "vitest";
import { GET } from "@/app/api/ready/route";
import { db } from "@/lib/db";
import { resetEnvCache } from "@/lib/env";
import { checkReadiness, sharedReadiness } from "@/lib/health/readiness";
import { addJob } from "@/lib/jobs/add-job";
import { ensureJobSchema } from "@/lib/jobs/migrate";
import { queueHeadSql, readQueueHead, READY_PROBE_LIMIT } from "@/lib/jobs/queue-stats";
import { explainCost } from "~tests/helpers/explain";
import { startTestRunner } from "~tests/helpers/job-runner";

const TOKEN = "metrics-token-for-readiness-0123456789";
const call = (authorization: string | null = `Bearer ${TOKEN}`) =>
  GET(new Request("http://localhost/api/ready", { headers: authorization ? { authorization } : {} }), {
    params: Promise.resolve({}),
  });
let runner: Runner | undefined;

beforeEach(() => {
  process.env.METRICS_TOKEN = TOKEN;
  resetEnvCache();
});

afterEach(async () => {
  await runner?.stop();
  runner = undefined;
  delete process.env.METRICS_TOKEN;
  resetEnvCache();
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
    queue: { ready: 2, readyCapped: false },
  });
  expect(body.queue.oldestReadySeconds).toBeGreaterThanOrEqual(89);
  // The runner's own heartbeat, seconds old (graphile-worker's crontab record would be up to a minute old).
  expect(Date.now() - Date.parse(body.jobRunner.lastSeenAt)).toBeLessThan(30_000);
});

it("tells an anonymous caller or a wrong token only the state, without the checks behind it", async () => {
  runner = await startFreshRunner();
  for (const authorization of [null, "Bearer wrong-token", `Basic ${TOKEN}`]) {
    const res = await call(authorization);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ready" });
  }
  await runner.stop();
  runner = undefined;
  await db.$executeRawUnsafe(`DELETE FROM "JobWorker"`);
  const down = await call(null);
  expect(down.status).toBe(503);
  expect(await down.json()).toEqual({ status: "not_ready" });
  // Without a configured token there is no one to show the details to.
  delete process.env.METRICS_TOKEN;
  resetEnvCache();
  expect(await (await call()).json()).toEqual({ status: "not_ready" });
});

it("reads a bounded part of the queue, however many jobs wait, and shares one check among concurrent callers", async () => {
  await ensureJobSchema();
  // 20,001 jobs scheduled later and 3,000 due (of a task no runner knows).
  await addJob({ tx: db, identifier: "ops-test-noop", payload: {}, runAt: new Date(Date.now() + 86_400_000) });
  // Copies of that row, written directly: add_job per row would take most of a minute on these machines.
  await db.$executeRawUnsafe(`
    INSERT INTO graphile_worker._private_jobs (task_id, payload, run_at)
    SELECT j.task_id, j.payload, CASE WHEN n <= 3000 THEN now() - (n || ' seconds')::interval ELSE j.run_at END
    FROM graphile_worker._private_jobs j, generate_series(1, 23000) n`);
  await db.$executeRawUnsafe(`ANALYZE graphile_worker._private_jobs`);

  const head = await readQueueHead();
  expect(head).toMatchObject({ ready: READY_PROBE_LIMIT, readyCapped: true });
  // The oldest due job, 3,000 s overdue when it was written.
  expect(head.oldestReadySeconds).toBeGreaterThanOrEqual(2_999);
  expect(head.oldestReadySeconds).toBeLessThan(3_120);
  const [table] = await db.$queryRaw<{ pages: number }[]>(
    Prisma.sql`SELECT relpages::int AS pages FROM pg_class WHERE oid = 'graphile_worker._private_jobs'::regclass`,
  );
  const probe = await explainCost(db, queueHeadSql());
  expect(probe.nodeTypes, JSON.stringify(probe)).not.toContain("Seq Scan");
  // At most the index pages holding the first due jobs: a small share of the table whatever its size.
  expect(probe.buffers).toBeLessThan(table!.pages / 4);

  // Callers that arrive while a check runs share it: 50 at once cost one check.
  const first = sharedReadiness();
  expect(sharedReadiness()).toBe(first);
  await first;
  const next = sharedReadiness();
  expect(next).not.toBe(first);
  await next;
  const answers = await Promise.all(Array.from({ length: 50 }, () => call()));
  expect(new Set(answers.map((a) => a.status))).toEqual(new Set([503])); // no runner in this test
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
