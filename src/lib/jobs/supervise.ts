// Keeps a graphile-worker runner alive across database outages of any length. graphile-worker records a job's
// outcome (completeJob/failJob) without awaiting it; with the database gone that write fails, and in its default
// mode the rejection is unhandled and ends the process. Runners started with `outcomeBatching` (runner.ts) route
// that failure through graphile-worker's batcher instead: the pool shuts down and `runner.promise` rejects. This
// supervisor then starts a new runner (retrying while the database is unreachable, with capped backoff) and frees
// the jobs and queues the dead pool still holds, so they run again at once instead of after a lock timeout.
// A runner can also stay alive without getting any job (issue 24: every fetch failing after an outage in its first
// seconds): one without progress for `replaceStalledAfterMs` (fetch-health.ts) is stopped and replaced the same way.
import type { Runner } from "graphile-worker";
import type pino from "pino";
import { Prisma } from "@/generated/prisma/client";
import { db } from "@/lib/db";
import { isDatabaseUnavailable } from "@/lib/errors/database-unavailable";
import { logger as appLogger, safeErrorFields } from "@/lib/logger";
import { metrics } from "@/lib/metrics";
import type { FetchHealth } from "./fetch-health";

/** A runner, and whether it is getting jobs (startJobRunner's; a runner without it is only replaced when it ends). */
export type SupervisableRunner = Runner & { fetchHealth?: FetchHealth };

export type SuperviseRunnerOptions = {
  /** Starts one runner (startWorker()); called again after the previous one died. */
  start: () => Promise<SupervisableRunner>;
  /** Frees the jobs and queues locked by pools of this process that ended without releasing them. */
  unlockWorkers?: (workerIds: string[]) => Promise<void>;
  /** Backoff between restarts: doubles from min to max. */
  minDelayMs?: number;
  maxDelayMs?: number;
  /** How long a dead pool's tasks may still run before its locks are left to the sweeper instead. */
  drainTimeoutMs?: number;
  /** A runner without a successful fetch (and with a free slot) for this long is replaced. */
  replaceStalledAfterMs?: number;
  /** How often the supervisor looks at its runner's fetches. */
  stallCheckMs?: number;
  /** How long a stalled runner may take to stop before the supervisor moves on without it. */
  stopTimeoutMs?: number;
  log?: pino.Logger;
};

export type SupervisedRunner = {
  /** Stops the current runner gracefully and ends supervision. */
  stop: () => Promise<void>;
  /** Settles once stopped; rejects when a runner cannot start for a reason other than a database outage. */
  done: Promise<void>;
  /** Runners started so far (1 + restarts). */
  starts: () => number;
};

async function forceUnlock(workerIds: string[]): Promise<void> {
  await db.$executeRaw(Prisma.sql`SELECT graphile_worker.force_unlock_workers(${workerIds}::text[])`);
}

type PoolTracker = { pools: Set<string>; idle: (timeoutMs: number) => Promise<boolean>; detach: () => void };

/** Which pools of a runner took jobs, and when none of its tasks is running any more. */
function trackPools(runner: Runner): PoolTracker {
  const pools = new Set<string>();
  let active = 0;
  let onIdle: (() => void) | undefined;
  const started = ({ worker }: { worker: { workerPool: { id: string } } }) => {
    pools.add(worker.workerPool.id);
    active += 1;
  };
  const ended = () => {
    active = Math.max(0, active - 1);
    if (active === 0) onIdle?.();
  };
  const shutdown = ({ workerPool }: { workerPool: { id: string } }) => pools.add(workerPool.id);
  runner.events.on("job:start", started);
  runner.events.on("job:complete", ended);
  runner.events.on("worker:fatalError", ended);
  runner.events.on("pool:gracefulShutdown", shutdown);
  return {
    pools,
    idle: (timeoutMs) =>
      active === 0
        ? Promise.resolve(true)
        : new Promise<boolean>((resolve) => {
            const timer = setTimeout(() => resolve(false), timeoutMs);
            onIdle = () => {
              clearTimeout(timer);
              resolve(true);
            };
          }),
    detach: () => {
      runner.events.off("job:start", started);
      runner.events.off("job:complete", ended);
      runner.events.off("worker:fatalError", ended);
      runner.events.off("pool:gracefulShutdown", shutdown);
    },
  };
}

/** Settles when the runner has made no progress for `afterMs`; `cancel` ends the watch. */
function watchStall(
  health: FetchHealth | undefined,
  afterMs: number,
  everyMs: number,
): { stalled: Promise<void>; cancel: () => void } {
  let timer: NodeJS.Timeout | undefined;
  const stalled = new Promise<void>((resolve) => {
    if (!health) return;
    timer = setInterval(() => {
      if (health.stalledForMs() >= afterMs) resolve();
    }, everyMs);
    timer.unref();
  });
  return { stalled, cancel: () => clearInterval(timer) };
}

export function superviseRunner(options: SuperviseRunnerOptions): SupervisedRunner {
  const log = () => options.log ?? appLogger;
  const minDelayMs = options.minDelayMs ?? 500;
  const maxDelayMs = options.maxDelayMs ?? 5_000;
  const drainTimeoutMs = options.drainTimeoutMs ?? 60_000;
  const replaceStalledAfterMs = options.replaceStalledAfterMs ?? 20_000;
  const stallCheckMs = options.stallCheckMs ?? 1_000;
  const stopTimeoutMs = options.stopTimeoutMs ?? 15_000;
  const unlockWorkers = options.unlockWorkers ?? forceUnlock;
  let stopping = false;
  let current: SupervisableRunner | undefined;
  let wake: (() => void) | undefined;
  let starts = 0;
  const deadPools = new Set<string>();

  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  const backoff = (failures: number) => Math.min(maxDelayMs, minDelayMs * 2 ** Math.max(0, failures - 1));

  async function unlockDeadPools(): Promise<void> {
    if (deadPools.size === 0) return;
    const ids = [...deadPools];
    try {
      await unlockWorkers(ids);
      for (const id of ids) deadPools.delete(id);
      log().info({ workers: ids }, "job runner: released the locks of its previous worker pool");
    } catch (error) {
      // Tried again after the next restart; the sweeper frees stale locks in any case.
      log().warn(
        { err: safeErrorFields(error), workers: ids },
        "job runner: could not release its previous worker pool's locks yet",
      );
    }
  }

  /** Stops a runner that cannot fetch; a stop that hangs on the database is not waited for past stopTimeoutMs. */
  async function stopStalled(runner: Runner): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const stopped = runner
      .stop()
      .catch((error: unknown) => log().warn({ err: safeErrorFields(error) }, "job runner: stop failed"));
    await Promise.race([stopped, new Promise<void>((resolve) => (timer = setTimeout(resolve, stopTimeoutMs)))]);
    clearTimeout(timer);
  }

  async function loop(): Promise<void> {
    let failures = 0;
    // Runners replaced for not fetching since one last fetched: the stall is logged once, and its end once.
    let stalls = 0;
    while (!stopping) {
      let runner: SupervisableRunner;
      try {
        runner = await options.start();
      } catch (error) {
        // A bug or a bad configuration should stop the process; an unreachable database is waited out.
        if (!isDatabaseUnavailable(error)) throw error;
        failures += 1;
        const retryInMs = backoff(failures);
        log().warn({ err: safeErrorFields(error), retryInMs, failures }, "job runner: database unreachable, retrying");
        await pause(retryInMs);
        continue;
      }
      starts += 1;
      if (stopping) {
        await runner.stop();
        break;
      }
      current = runner;
      const tracker = trackPools(runner);
      if (starts > 1) log().info({ starts }, "job runner restarted");
      await unlockDeadPools();
      failures = 0;
      const health = runner.fetchHealth;
      if (stalls > 0 && health) {
        // The stall ends with a replacement's first fetch: logged once, like its start.
        const replacements = stalls;
        const check = setInterval(() => {
          if (!health.progressed()) return;
          clearInterval(check);
          if (current !== runner) return;
          stalls = 0;
          log().info({ replacements }, "job runner is fetching jobs again");
        }, stallCheckMs);
        check.unref();
        void runner.promise.then(
          () => clearInterval(check),
          () => clearInterval(check),
        );
      }
      const stall = watchStall(health, replaceStalledAfterMs, stallCheckMs);
      const ended = await Promise.race([
        runner.promise.then(
          () => ({ error: undefined }),
          (error: unknown) => ({ error: error ?? new Error("runner failed") }),
        ),
        stall.stalled.then(() => "stalled" as const),
      ]);
      stall.cancel();
      if (ended === "stalled" && !stopping) {
        stalls += 1;
        // Replacements back off on their own count: each runner started fine, so `failures` was reset.
        failures = stalls;
        metrics.runnerReplaced("stalled");
        const fields = { stalledForMs: health?.stalledForMs(), restartInMs: backoff(failures), replacements: stalls };
        if (stalls === 1) log().warn(fields, "job runner has not fetched jobs; replacing it");
        else log().debug(fields, "job runner still not fetching jobs; replacing it again");
        await stopStalled(runner);
      }
      current = undefined;
      if (stopping) {
        tracker.detach();
        break;
      }
      if (ended !== "stalled") {
        failures += 1;
        metrics.runnerReplaced("died");
        log().warn(
          { ...(ended.error ? { err: safeErrorFields(ended.error) } : {}), restartInMs: backoff(failures) },
          "job runner stopped unexpectedly; restarting",
        );
      }
      // A task of the dead pool may still be running (its outcome could not be recorded); its pool's locks are freed
      // only once it has finished, so a job never runs twice at once. The restart itself does not wait for it.
      void tracker.idle(drainTimeoutMs).then((idle) => {
        tracker.detach();
        if (!idle) {
          log().warn(
            { workers: [...tracker.pools] },
            "job runner: tasks of the dead pool still running; their locks are left to the sweeper",
          );
          return;
        }
        for (const id of tracker.pools) deadPools.add(id);
        if (current) void unlockDeadPools();
      });
      await pause(backoff(failures));
    }
  }

  const done = loop();
  done.catch(() => {}); // the caller awaits `done`; never an unhandled rejection meanwhile

  return {
    starts: () => starts,
    done,
    stop: async () => {
      stopping = true;
      wake?.();
      const runner = current;
      current = undefined;
      if (runner)
        await runner
          .stop()
          .catch((error: unknown) => log().warn({ err: safeErrorFields(error) }, "job runner: stop failed"));
      await done.catch(() => {});
    },
  };
}

/**
 * Several runners of one process (start-worker.ts: WORKER_RUNNERS), each under its own superviseRunner(): one stop
 * stops them all, and a runner that cannot start for a reason other than an outage stops the others too.
 */
export function superviseRunners(
  starts: readonly (() => Promise<Runner>)[],
  options: Omit<SuperviseRunnerOptions, "start"> = {},
): SupervisedRunner {
  const all = starts.map((start) => superviseRunner({ ...options, start }));
  const stop = async () => {
    await Promise.all(all.map((s) => s.stop()));
  };
  const done = Promise.all(all.map((s) => s.done)).then(
    () => undefined,
    async (error: unknown) => {
      await stop();
      throw error;
    },
  );
  done.catch(() => {}); // as superviseRunner's: the caller awaits `done`
  return { stop, done, starts: () => all.reduce((n, s) => n + s.starts(), 0) };
}
