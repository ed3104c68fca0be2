// One graphile-worker runner per process. It migrates its own schema on start, polls PostgreSQL (and listens for
// new-job notifications), and runs the crontab. Several processes may run one each: jobs are locked per row.
// Each runner registers in the worker registry and heartbeats, so the jobs of a runner that died are taken over
// within seconds (worker-registry.ts).
import { EventEmitter } from "node:events";
import { run, type Runner, type TaskList, type WorkerEvents } from "graphile-worker";
import { env } from "@/lib/env";
import { logger } from "@/lib/logger";
import { watchFetches, type FetchHealth } from "./fetch-health";
import { workerLogger } from "./logger";
import { startWorkerRegistry, type RunnerLane, type WorkerRegistry } from "./worker-registry";

export type StartJobRunnerOptions = {
  taskList: TaskList;
  /** Which runner of the process this is, for its metrics: every job but deliveries, or webhook deliveries. */
  lane?: RunnerLane;
  /** graphile-worker crontab lines, e.g. `* * * * * sweep-role-assignments`. */
  crontab?: string;
  connectionString?: string;
  concurrency?: number;
  pollInterval?: number;
  /** The standalone worker lets graphile-worker handle SIGINT/SIGTERM; the web server handles its own. */
  handleSignals?: boolean;
  /**
   * Record job outcomes through graphile-worker's batcher: a lost database then ends the runner through
   * `runner.promise` instead of an unhandled rejection. Only for runners under superviseRunner() (supervise.ts).
   */
  outcomeBatching?: boolean;
  /**
   * Fetch and lock up to this many due jobs per query and hand them to the runner's slots from memory
   * (graphile-worker's local queue): at scale a job's own fetch is one of the few statements it costs. At least the
   * concurrency; unset, each slot fetches its own job. Jobs held but not started go back on shutdown, after the
   * queue's TTL, or through the worker registry when the process dies.
   */
  localQueueSize?: number;
  /** Worker registry: how often this runner heartbeats, and after how long without one a runner counts as dead. */
  heartbeatMs?: number;
  deadAfterMs?: number;
  /** Without a successful fetch for this long (and a free slot) the runner stops heartbeating (fetch-health.ts). */
  stallAfterMs?: number;
};

/** A runner and whether it is getting jobs: the heartbeat and the supervisor both go by it. */
export type JobRunner = Runner & { fetchHealth: FetchHealth };

/**
 * How long the batcher gathers outcomes before one statement records them. A finished job stays locked that much
 * longer, so a crash inside the window runs it again: every task already tolerates that (a job can always die
 * between its work and its outcome), acting on its rows' state or sending with an idempotency key.
 */
const OUTCOME_BATCH_DELAY_MS = 20;

/** A job held in the local queue longer than this goes back to the table for any runner (the library's default is 5 minutes). */
const LOCAL_QUEUE_TTL_MS = 60_000;

export async function startJobRunner(options: StartJobRunnerOptions): Promise<JobRunner> {
  const concurrency = options.concurrency ?? 5;
  // Our own emitter, passed in, so the pool's id is known before its first job is fetched.
  const events = new EventEmitter() as WorkerEvents;
  const fetchHealth = watchFetches(events, { concurrency, stallAfterMs: options.stallAfterMs });
  const registries: WorkerRegistry[] = [];
  events.on("pool:create", ({ workerPool }) => {
    registries.push(
      startWorkerRegistry({
        workerId: workerPool.id,
        lane: options.lane ?? "jobs",
        heartbeatMs: options.heartbeatMs,
        deadAfterMs: options.deadAfterMs,
        // A runner that cannot fetch must look dead, so that readiness fails and other runners take its jobs.
        isLive: fetchHealth.live,
        // Jobs just unlocked are ready now: look for them without waiting for the next poll.
        onUnlocked: (count) => workerPool.nudge(count),
      }),
    );
  });
  const runner = await run({
    connectionString: options.connectionString ?? env.DATABASE_URL,
    taskList: options.taskList,
    crontab: options.crontab ?? "",
    concurrency,
    maxPoolSize: concurrency + 2,
    pollInterval: options.pollInterval ?? 2_000,
    noHandleSignals: !options.handleSignals,
    logger: workerLogger,
    preset: {
      worker: {
        ...(options.outcomeBatching
          ? { completeJobBatchDelay: OUTCOME_BATCH_DELAY_MS, failJobBatchDelay: OUTCOME_BATCH_DELAY_MS }
          : {}),
        ...(options.localQueueSize
          ? { localQueue: { size: Math.max(concurrency, options.localQueueSize), ttl: LOCAL_QUEUE_TTL_MS } }
          : {}),
      },
    },
    events,
  });
  const stopRegistries = () => Promise.all(registries.splice(0).map((r) => r.stop())).then(() => fetchHealth.detach());
  runner.promise.then(stopRegistries, (error: unknown) => {
    logger.warn({ err: error instanceof Error ? error.name : "error" }, "job runner ended with an error");
    return stopRegistries();
  });
  return Object.assign(runner, { fetchHealth });
}
