// The runners alive, in PostgreSQL: each runner heartbeats its graphile-worker pool id every few seconds, and on
// each beat unlocks the jobs of runners that stopped heartbeating (a crash, kill -9, a lost database connection)
// so another runner takes them within seconds rather than after graphile-worker's 4 hours or the sweeper's
// minutes. A job is unlocked only when its runner missed its heartbeats for `deadAfterMs` AND its lock is older
// than that: an attempt is bounded well below it (one deadline for its Discord calls), so a runner that is still
// working on a job can never see it run a second time at once. A runner beats only while it is getting jobs
// (`isLive`, fetch-health.ts): one whose fetches fail looks dead to readiness and to the other runners.
import { Prisma } from "@/generated/prisma/client";
import { db as defaultDb, type Db } from "@/lib/db";
import { logger } from "@/lib/logger";
import { metrics } from "@/lib/metrics";

export const DEFAULT_HEARTBEAT_MS = 5_000;
export const DEFAULT_DEAD_AFTER_MS = 20_000;
/** Registry rows of runners gone for this long are deleted. */
const FORGET_AFTER = "1 day";

/** A process's runners: every job but webhook deliveries, and deliveries (src/worker/start-worker.ts). */
export type RunnerLane = "jobs" | "deliveries";

export type WorkerRegistryOptions = {
  /** graphile-worker's pool id: what it writes into `locked_by`. */
  workerId: string;
  lane?: RunnerLane;
  heartbeatMs?: number;
  deadAfterMs?: number;
  /** Called with the number of jobs unlocked, so the runner can look for them at once. */
  onUnlocked?: (count: number) => void;
  /** Whether the runner is fetching jobs; while it is not, no beat is written (default: always). */
  isLive?: () => boolean;
  db?: Db;
};

export type WorkerRegistry = { stop: () => Promise<void>; beat: () => Promise<void> };

export type UnlockDeadWorkersOptions = { deadAfterMs: number; db?: Db };

/** Unlocks the jobs (and legacy queues) of runners not seen for `deadAfterMs`, locked longer than that. */
export async function unlockDeadWorkers(
  options: UnlockDeadWorkersOptions,
): Promise<{ jobs: number; workers: string[] }> {
  const client = options.db ?? defaultDb;
  const dead = Prisma.sql`${`${Math.round(options.deadAfterMs)} milliseconds`}::interval`;
  const unlocked = await client.$queryRaw<{ worker: string }[]>(Prisma.sql`
    WITH gone AS (
      SELECT j.id, j.locked_by FROM graphile_worker._private_jobs j
      WHERE j.locked_by IS NOT NULL AND j.locked_at < now() - ${dead}
        AND NOT EXISTS (SELECT 1 FROM "JobWorker" w WHERE w.id = j.locked_by AND w."lastSeenAt" > now() - ${dead})
      FOR UPDATE OF j SKIP LOCKED)
    UPDATE graphile_worker._private_jobs j SET locked_at = NULL, locked_by = NULL
    FROM gone WHERE j.id = gone.id
    RETURNING gone.locked_by AS worker`);
  await client.$executeRaw(Prisma.sql`
    UPDATE graphile_worker._private_job_queues q SET locked_at = NULL, locked_by = NULL
    WHERE q.locked_by IS NOT NULL AND q.locked_at < now() - ${dead}
      AND NOT EXISTS (SELECT 1 FROM "JobWorker" w WHERE w.id = q.locked_by AND w."lastSeenAt" > now() - ${dead})`);
  return { jobs: unlocked.length, workers: [...new Set(unlocked.map((u) => u.worker))] };
}

export function startWorkerRegistry(options: WorkerRegistryOptions): WorkerRegistry {
  const client = options.db ?? defaultDb;
  const heartbeatMs = options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
  const deadAfterMs = options.deadAfterMs ?? DEFAULT_DEAD_AFTER_MS;
  let failing = false;
  let paused = false;
  let stopped = false;
  let running: Promise<void> = Promise.resolve();

  const beat = async () => {
    await client.$executeRaw`
      INSERT INTO "JobWorker" (id, "lastSeenAt") VALUES (${options.workerId}, now())
      ON CONFLICT (id) DO UPDATE SET "lastSeenAt" = now()`;
  };
  const tick = async () => {
    const live = options.isLive?.() ?? true;
    metrics.runnerFetching(options.lane ?? "jobs", live);
    if (!live) {
      // Nothing else either: a runner that cannot fetch leaves the unlocking of dead runners' jobs to the others.
      if (!paused) logger.warn({ workerId: options.workerId }, "job runner is not fetching jobs; heartbeat paused");
      paused = true;
      return;
    }
    if (paused) logger.info({ workerId: options.workerId }, "job runner is fetching jobs again; heartbeat resumed");
    paused = false;
    try {
      await beat();
      const { jobs, workers } = await unlockDeadWorkers({ deadAfterMs, db: client });
      if (jobs > 0) {
        logger.warn({ jobs, workers }, "unlocked the jobs of job runners that stopped heartbeating");
        options.onUnlocked?.(jobs);
      }
      await client.$executeRaw(
        Prisma.sql`DELETE FROM "JobWorker" WHERE "lastSeenAt" < now() - ${FORGET_AFTER}::interval`,
      );
      if (failing) logger.info({ workerId: options.workerId }, "job runner heartbeat restored");
      failing = false;
    } catch (error) {
      // The database is away: the next beat tries again. Logged once per outage, without the message.
      if (!failing)
        logger.warn(
          { workerId: options.workerId, err: error instanceof Error ? error.name : "error" },
          "job runner heartbeat failed",
        );
      failing = true;
    }
  };
  running = tick();
  const timer = setInterval(() => {
    running = running.then(tick);
  }, heartbeatMs);
  timer.unref();

  return {
    beat,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      await running;
      // A clean stop: graphile-worker released this runner's jobs itself; the row is no longer needed.
      await client.$executeRaw`DELETE FROM "JobWorker" WHERE id = ${options.workerId}`.catch(() => {});
    },
  };
}
