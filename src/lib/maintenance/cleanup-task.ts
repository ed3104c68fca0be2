// The clean-up as a job-runner task, every hour at minute 17. graphile-worker's cron schedules one run per slot
// across all workers; a run that does not finish a backlog leaves the rest to the next.
import type { TaskList } from "graphile-worker";
import { logger } from "@/lib/logger";
import { runCleanup, type CleanupResult } from "./cleanup";

export const CLEANUP_TASK = "cleanup-expired-data";
export const CLEANUP_CRONTAB = `17 * * * * ${CLEANUP_TASK}`;

export type CleanupTaskOptions = {
  /** Test seam: the clean-up to run (default runCleanup with the environment's retention). */
  cleanup?: () => Promise<CleanupResult>;
};

export function createCleanupTasks(options: CleanupTaskOptions = {}): TaskList {
  const cleanup = options.cleanup ?? (() => runCleanup());
  return {
    [CLEANUP_TASK]: async () => {
      const removed = await cleanup();
      if (Object.values(removed).some((n) => n > 0)) logger.info({ removed }, "clean-up removed expired data");
    },
  };
}
