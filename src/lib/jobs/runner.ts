// One graphile-worker runner per process. It migrates its own schema on start, polls PostgreSQL (and listens for
// new-job notifications), and runs the crontab. Several processes may run one each: jobs are locked per row.
import { run, type Runner, type TaskList } from "graphile-worker";
import { env } from "@/lib/env";
import { workerLogger } from "./logger";

export type StartJobRunnerOptions = {
  taskList: TaskList;
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
};

export async function startJobRunner(options: StartJobRunnerOptions): Promise<Runner> {
  const concurrency = options.concurrency ?? 5;
  return run({
    connectionString: options.connectionString ?? env.DATABASE_URL,
    taskList: options.taskList,
    crontab: options.crontab ?? "",
    concurrency,
    maxPoolSize: concurrency + 2,
    pollInterval: options.pollInterval ?? 2_000,
    noHandleSignals: !options.handleSignals,
    logger: workerLogger,
    ...(options.outcomeBatching ? { preset: { worker: { completeJobBatchDelay: 0, failJobBatchDelay: 0 } } } : {}),
  });
}
