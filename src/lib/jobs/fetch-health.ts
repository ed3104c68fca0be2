// Is a runner actually getting jobs from PostgreSQL? A runner whose fetches fail keeps its process, its pool and
// its timers alive, so "the runner exists" says nothing (issue 24: a rejected lookup cached inside graphile-worker
// made every later fetch fail while the heartbeat went on). Liveness is progress instead: a fetch that answered
// (with or without jobs), or a job starting or finishing. A runner whose every slot is busy does not need to fetch,
// so it counts as live; a job's attempt is bounded by its deadlines, so that cannot last.
import type { WorkerEvents } from "graphile-worker";

/** Without progress for this long (and with a free slot), a runner counts as not fetching. It polls every 2 s. */
export const DEFAULT_STALL_AFTER_MS = 8_000;

export type FetchHealth = {
  /** How long the runner has been without progress while it had a free slot (0 while fetching or saturated). */
  stalledForMs: () => number;
  /** Fetched (or ran a job) within `stallAfterMs`, or every slot is busy. */
  live: () => boolean;
  /** Whether the runner has fetched (or run a job) at all since it started. */
  progressed: () => boolean;
  detach: () => void;
};

export type WatchFetchesOptions = { concurrency: number; stallAfterMs?: number; now?: () => number };

/** A successful fetch in local-queue mode, a successful fetch of one slot, and a job's start and end. */
const PROGRESS = ["localQueue:getJobs:complete", "worker:getJob:empty", "job:start", "job:complete"] as const;

export function watchFetches(events: WorkerEvents, options: WatchFetchesOptions): FetchHealth {
  const now = options.now ?? Date.now;
  const stallAfterMs = options.stallAfterMs ?? DEFAULT_STALL_AFTER_MS;
  // A runner just started has not had the chance to fetch yet.
  let lastProgressAt = now();
  let active = 0;
  let progressed = false;
  const progress = () => {
    lastProgressAt = now();
    progressed = true;
  };
  const started = () => {
    active += 1;
  };
  const ended = () => {
    active = Math.max(0, active - 1);
  };
  for (const event of PROGRESS) events.on(event, progress);
  events.on("job:start", started);
  events.on("job:complete", ended);
  events.on("worker:fatalError", ended);

  const stalledForMs = () => (active >= options.concurrency ? 0 : Math.max(0, now() - lastProgressAt));
  return {
    stalledForMs,
    live: () => stalledForMs() < stallAfterMs,
    progressed: () => progressed,
    detach: () => {
      for (const event of PROGRESS) events.off(event, progress);
      events.off("job:start", started);
      events.off("job:complete", ended);
      events.off("worker:fatalError", ended);
    },
  };
}
