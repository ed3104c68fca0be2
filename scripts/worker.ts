// `npm run worker`: the job runner alone, for deployments that keep it out of the web server
// (set WORKER_IN_PROCESS=false there). It rides out database outages of any length: the runner is restarted
// (src/lib/jobs/supervise.ts) and resumes within seconds of PostgreSQL coming back. Stops gracefully on
// SIGINT/SIGTERM.
import { loadEnv } from "../src/lib/env";
import { isDatabaseUnavailable } from "../src/lib/errors/database-unavailable";
import { logger, safeErrorFields } from "../src/lib/logger";
import { routeConsoleThroughLogger } from "../src/lib/jobs/logger";
import { WORKER_RUNNERS } from "../src/worker/start-worker";
import { superviseRunners } from "../src/lib/jobs/supervise";

loadEnv();
routeConsoleThroughLogger();

// Last line of defence: a connection error that escaped every handler (a library's un-awaited query during an
// outage) is logged and survived, because the supervisor recovers the runner; anything else is a bug and ends the
// process as Node would.
function onEscaped(kind: string) {
  return (error: unknown) => {
    if (isDatabaseUnavailable(error)) {
      logger.warn(
        { err: safeErrorFields(error) },
        `database connection error (${kind}) outside a job; the runner recovers`,
      );
      return;
    }
    logger.fatal({ err: safeErrorFields(error) }, `${kind}: the worker stops`);
    process.exit(1);
  };
}
process.on("unhandledRejection", onEscaped("unhandled rejection"));
process.on("uncaughtException", onEscaped("uncaught exception"));

// Signals are ours, not graphile-worker's: its handlers would stop one runner and the supervisor would start another.
// Two runners (start-worker.ts): every job but webhook deliveries, and deliveries with slots of their own.
const supervised = superviseRunners(WORKER_RUNNERS.map((start) => () => start({ handleSignals: false })));
let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "job runner stopping");
    void supervised.stop().then(() => process.exit(0));
  });
}
logger.info("job runner started");
try {
  await supervised.done;
} catch (error) {
  logger.fatal({ err: safeErrorFields(error) }, "job runner could not start");
  process.exit(1);
}
