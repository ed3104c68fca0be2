// What the job queue looks like right now, read from graphile-worker's tables (one query each), for /api/ready and
// the metrics scrape. Both run in any web process, so the answer is the cluster's, not this process's.
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

/**
 * When a job runner last heartbeat: every runner upserts its row in "JobWorker" every few seconds
 * (worker-registry.ts) and deletes it on a clean stop, so this moves while any runner in any process is alive and
 * stops within seconds of the last one dying (graphile-worker's crontab record moved only once a minute).
 */
export async function readRunnerHeartbeat(): Promise<RunnerHeartbeat> {
  const [seen] = await db.$queryRaw<{ last: Date | null }[]>`SELECT max("lastSeenAt") AS last FROM "JobWorker"`;
  return { lastSeenAt: seen?.last ?? null };
}
