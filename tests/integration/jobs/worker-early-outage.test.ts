// `npm run worker` as a child process whose PostgreSQL stops during the runner's first seconds (issue 24): the
// runner's first task-identifier lookup is in flight when the database goes, so graphile-worker 0.17.3 cached the
// failure and the runner never fetched again. To hit that moment every time, the test holds an uncommitted row of one
// of the worker's task names, so the lookup waits on it, and stops PostgreSQL while it waits. PostgreSQL comes back
// and a new job must run, in the same process, by the same runner (the patched library asks again; the supervisor's
// replacement of a stalled runner is another test's).
import { spawn, type ChildProcess } from "node:child_process";
import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import { MEMBER_RECHECK_TASK } from "@/lib/applications/role-jobs/enqueue";
import { db, disconnectDb } from "@/lib/db";
import { resetEnvCache } from "@/lib/env";
import { addJob } from "@/lib/jobs/add-job";
import { ensureJobSchema, forgetJobSchemaCheck } from "@/lib/jobs/migrate";
import { listJobs, waitFor } from "~tests/helpers/applications";
import { startOutageCluster, type OutageCluster } from "~tests/helpers/outage-cluster";

let cluster: OutageCluster;
let worker: ChildProcess | undefined;
let output = "";
const previousUrl = process.env.DATABASE_URL;

beforeAll(async () => {
  cluster = await startOutageCluster({ name: "worker_early_outage", migrate: true });
  process.env.DATABASE_URL = cluster.url;
  resetEnvCache();
  await disconnectDb();
  forgetJobSchemaCheck();
  await ensureJobSchema({ connectionString: cluster.url });
}, 120_000);

afterAll(async () => {
  if (worker && worker.exitCode === null) {
    const exited = new Promise((resolve) => worker!.once("exit", resolve));
    worker.kill("SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
    if (worker.exitCode === null) worker.kill("SIGKILL");
  }
  process.env.DATABASE_URL = previousUrl;
  resetEnvCache();
  await disconnectDb();
  forgetJobSchemaCheck();
  await cluster?.destroy();
}, 60_000);

it("runs jobs again after PostgreSQL stopped during the runner's first task lookup", async () => {
  // The worker's lookup inserts its task names; this uncommitted row makes it wait until the connection dies.
  const holder = new pg.Client({ connectionString: cluster.url });
  holder.on("error", () => {});
  await holder.connect();
  await holder.query("BEGIN");
  await holder.query(`INSERT INTO graphile_worker._private_tasks (identifier) VALUES ($1) ON CONFLICT DO NOTHING`, [
    MEMBER_RECHECK_TASK,
  ]);
  // (When the name was already known its lookup would not wait: the fresh cluster has none.)
  const [known] = await db.$queryRaw<{ count: number }[]>`
    SELECT count(*)::int AS count FROM graphile_worker._private_tasks`;
  expect(known?.count).toBe(0);

  worker = spawn("node_modules/.bin/tsx", ["scripts/worker.ts"], {
    env: { ...process.env, DATABASE_URL: cluster.url, LOG_LEVEL: "debug", NODE_ENV: "production" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  worker.stdout!.on("data", (d) => (output += d));
  worker.stderr!.on("data", (d) => (output += d));

  // The runner is up and its first lookup waits on the held row.
  // (Not on the holder's connection: inside a transaction pg_stat_activity is a snapshot.)
  const waiting = async () => {
    const [row] = await db.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM pg_stat_activity
      WHERE wait_event_type = 'Lock' AND query LIKE '%_private_tasks%'`;
    return row!.n;
  };
  await waitFor(waiting, (n) => n > 0, 60_000).catch((error: unknown) => {
    throw new Error(`${String(error)}\nworker output:\n${output.slice(-4_000)}`);
  });

  await cluster.stop();
  await disconnectDb();
  // Long enough for the failed lookup to settle and for several failed polls (every 2 s).
  await new Promise((resolve) => setTimeout(resolve, 6_000));
  expect(worker.exitCode, `worker output:\n${output.slice(-4_000)}`).toBeNull();
  await cluster.start();
  const backAt = Date.now();

  const job = await addJob({ tx: db, identifier: "sweep-role-assignments", payload: {} });
  await waitFor(listJobs, (jobs) => !jobs.some((j) => j.id === job.id), 60_000).catch((error: unknown) => {
    throw new Error(`${String(error)}\nworker output:\n${output.slice(-4_000)}`);
  });
  console.log(`[worker early outage] a new job ran ${Date.now() - backAt} ms after PostgreSQL was back`);
  expect(worker.exitCode).toBeNull();
  // The same runner recovered: no restart, no replacement.
  expect(output).not.toContain("job runner restarted");
  expect(output).not.toContain("replacing it");
}, 180_000);
