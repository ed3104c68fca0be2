// Runs once when the server starts. Validating the environment here makes a missing or weak secret stop start-up
// with the variable's name instead of failing on the first request. Then the job runner starts in-process unless
// WORKER_IN_PROCESS=false (deployments that run `npm run worker` separately).
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { loadEnv } = await import("@/lib/env");
  const env = loadEnv();
  if (!env.WORKER_IN_PROCESS) return;
  // Dev reloads re-run register(); one runner per process.
  const holder = globalThis as unknown as { guildgateWorker?: Promise<unknown> };
  if (holder.guildgateWorker) return;
  const { WORKER_RUNNERS } = await import("@/worker/start-worker");
  const { superviseRunners } = await import("@/lib/jobs/supervise");
  const { logger, safeErrorFields } = await import("@/lib/logger");
  const { maskConsoleConnectionDetails } = await import("@/lib/jobs/logger");
  // graphile-worker prints a few lines to the console with the database's host and port.
  maskConsoleConnectionDetails();
  // Supervised: a database outage ends a runner, and a new one starts once PostgreSQL answers again. Two runners:
  // webhook deliveries have slots of their own (src/worker/start-worker.ts).
  const supervised = superviseRunners(WORKER_RUNNERS.map((start) => () => start()));
  logger.info("job runner started in-process");
  holder.guildgateWorker = supervised.done.catch((error: unknown) => {
    // The web server keeps serving; the sweeper of any other running worker still covers pending work.
    holder.guildgateWorker = undefined;
    // By name, code and frames: a connection error's message can carry the database URL.
    logger.error({ err: safeErrorFields(error) }, "job runner failed to start");
  });
}
