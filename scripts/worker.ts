// `npm run worker`: the job runner alone, for deployments that keep it out of the web server
// (set WORKER_IN_PROCESS=false there). Stops gracefully on SIGINT/SIGTERM.
import { loadEnv } from "../src/lib/env";
import { logger } from "../src/lib/logger";
import { startWorker } from "../src/lib/jobs/start-worker";

loadEnv();
const runner = await startWorker({ handleSignals: true });
logger.info("job runner started");
await runner.promise;
