// A runner that is alive but cannot fetch jobs must not look alive (issue 24): with production timings, its heartbeat
// stops and /api/ready turns 503 within 30 s of its fetches starting to fail, and both come back within 30 s of the
// fetches succeeding again. The fault is PostgreSQL refusing to lock jobs (a trigger), so everything else the runner
// and readiness do keeps working: only fetching is broken.
import { afterEach, expect, it } from "vitest";
import { db } from "@/lib/db";
import { checkReadiness } from "@/lib/health/readiness";
import { addJob } from "@/lib/jobs/add-job";
import { ensureJobSchema } from "@/lib/jobs/migrate";
import { startJobRunner, type JobRunner } from "@/lib/jobs/runner";
import { WORKER_BATCHING } from "@/worker/start-worker";
import { listJobs, waitFor } from "~tests/helpers/applications";

let runner: JobRunner | undefined;

async function removeFault() {
  await db.$executeRawUnsafe(`DROP TRIGGER IF EXISTS refuse_fetch ON graphile_worker._private_jobs`);
  await db.$executeRawUnsafe(`DROP FUNCTION IF EXISTS graphile_worker.refuse_fetch()`);
}

afterEach(async () => {
  await removeFault();
  await runner?.stop();
  runner = undefined;
});

it("stops heartbeating and turns /api/ready 503 within 30 s of its fetches failing, and recovers within 30 s", async () => {
  await ensureJobSchema();
  await db.$executeRawUnsafe(`DELETE FROM "JobWorker"`);
  let ran = 0;
  runner = await startJobRunner({
    taskList: { "liveness-noop": async () => void (ran += 1) },
    concurrency: 2,
    ...WORKER_BATCHING,
  });
  await waitFor(checkReadiness, (r) => r.ready, 20_000);

  // Locking a job now fails; a due job makes every fetch try.
  await db.$executeRawUnsafe(`
    CREATE FUNCTION graphile_worker.refuse_fetch() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'fetch refused by the test'; END $$`);
  await db.$executeRawUnsafe(`
    CREATE TRIGGER refuse_fetch BEFORE UPDATE ON graphile_worker._private_jobs
    FOR EACH ROW EXECUTE FUNCTION graphile_worker.refuse_fetch()`);
  const failingSince = Date.now();
  const job = await addJob({ tx: db, identifier: "liveness-noop", payload: {} });

  const down = await waitFor(checkReadiness, (r) => !r.ready, 40_000);
  const downAfterMs = Date.now() - failingSince;
  console.log(`[runner liveness] /api/ready not ready ${downAfterMs} ms after fetches began to fail`);
  expect(down).toMatchObject({ database: "ok", migrations: { status: "ok" }, jobRunner: { status: "stale" } });
  expect(downAfterMs).toBeLessThan(30_000);
  expect(runner.fetchHealth.live()).toBe(false);
  expect(ran).toBe(0);

  await removeFault();
  const fixedAt = Date.now();
  await waitFor(checkReadiness, (r) => r.ready, 40_000);
  const upAfterMs = Date.now() - fixedAt;
  console.log(`[runner liveness] /api/ready ready again ${upAfterMs} ms after fetches could succeed`);
  expect(upAfterMs).toBeLessThan(30_000);
  await waitFor(listJobs, (jobs) => !jobs.some((j) => j.id === job.id), 20_000);
  expect(ran).toBe(1);
}, 120_000);
