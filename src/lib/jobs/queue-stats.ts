// What the job queue looks like right now, read from graphile-worker's tables, for /api/ready (a bounded probe) and
// the metrics scrape (the whole table, by task and state). Both run in any web process, so the answer is the cluster's, not this process's.
import { Prisma } from "@/generated/prisma/client";
import { db } from "@/lib/db";

export type QueueState = "ready" | "scheduled" | "running" | "failed";
export type QueueTaskStats = { task: string; state: QueueState; count: number };
export type QueueStats = { tasks: QueueTaskStats[]; ready: number; oldestReadySeconds: number };
export type RunnerHeartbeat = { lastSeenAt: Date | null };

async function schemaPresent(): Promise<boolean> {
  const [row] = await db.$queryRaw<
    { present: boolean }[]
  >`SELECT to_regclass('graphile_worker._private_jobs') IS NOT NULL AS present`;
  return row?.present ?? false;
}

/** Jobs by task and state, and the age of the oldest job that is due but not running. */
export async function readQueueStats(): Promise<QueueStats> {
  if (!(await schemaPresent())) return { tasks: [], ready: 0, oldestReadySeconds: 0 };
  const rows = await db.$queryRaw<{ task: string; state: QueueState; count: number; oldest: number | null }[]>`
    SELECT t.identifier AS task,
      CASE WHEN j.attempts >= j.max_attempts THEN 'failed'
           WHEN j.locked_at IS NOT NULL THEN 'running'
           WHEN j.run_at > now() THEN 'scheduled'
           ELSE 'ready' END AS state,
      count(*)::int AS count,
      extract(epoch FROM now() - min(j.run_at))::float8 AS oldest
    FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id
    GROUP BY 1, 2`;
  const ready = rows.filter((r) => r.state === "ready");
  return {
    tasks: rows.map(({ task, state, count }) => ({ task, state, count })),
    ready: ready.reduce((sum, r) => sum + r.count, 0),
    oldestReadySeconds: Math.max(0, ...ready.map((r) => r.oldest ?? 0)),
  };
}

export type QueueHead = { ready: number; readyCapped: boolean; oldestReadySeconds: number };

/** At most this many due jobs are counted by the readiness probe; more shows as this number and `readyCapped`. */
export const READY_PROBE_LIMIT = 1_000;

/**
 * The backlog for /api/ready at a constant cost, whatever the queue's size (readQueueStats scans every job): due jobs
 * not running, counted up to READY_PROBE_LIMIT, and the age of the job at the head of the queue, both read from
 * graphile-worker's partial index of available jobs (priority, run_at).
 */
export function queueHeadSql(): Prisma.Sql {
  return Prisma.sql`
    SELECT
      (SELECT count(*)::int FROM (
         SELECT 1 FROM graphile_worker._private_jobs
         WHERE is_available AND run_at <= now()
         -- the index's order, so the planner walks the index from its head instead of scanning the table
         ORDER BY priority, run_at LIMIT ${READY_PROBE_LIMIT + 1}) due) AS ready,
      (SELECT extract(epoch FROM now() - run_at)::float8 FROM graphile_worker._private_jobs
       WHERE is_available AND run_at <= now() ORDER BY priority, run_at LIMIT 1) AS oldest`;
}

/** Due jobs counted up to the limit, and the head of the queue: both within graphile-worker's available-jobs index. */
export async function readQueueHead(): Promise<QueueHead> {
  if (!(await schemaPresent())) return { ready: 0, readyCapped: false, oldestReadySeconds: 0 };
  const [row] = await db.$queryRaw<{ ready: number; oldest: number | null }[]>(queueHeadSql());
  const ready = row?.ready ?? 0;
  return {
    ready: Math.min(ready, READY_PROBE_LIMIT),
    readyCapped: ready > READY_PROBE_LIMIT,
    oldestReadySeconds: Math.max(0, row?.oldest ?? 0),
  };
}

/**
 * When a job runner last heartbeat: every runner upserts its row in "JobWorker" every few seconds while it is
 * getting jobs (worker-registry.ts, fetch-health.ts) and deletes it on a clean stop, so this moves while any runner in any process is alive and
 * stops within seconds of the last one dying (graphile-worker's crontab record moved only once a minute).
 */
export async function readRunnerHeartbeat(): Promise<RunnerHeartbeat> {
  const [seen] = await db.$queryRaw<{ last: Date | null }[]>`SELECT max("lastSeenAt") AS last FROM "JobWorker"`;
  return { lastSeenAt: seen?.last ?? null };
}
