// A job runner in a process of its own, for tests that kill it with SIGKILL (a crash: no clean-up of any kind).
// Started by tests/helpers/job-runner.ts#spawnWorkerProcess with the test database and the Discord sandbox in its
// environment; prints "ready" once its runner is up.
import { startTestRunner } from "./job-runner";

await startTestRunner({
  settings: { timeoutMs: 10_000 },
  concurrency: Number(process.env.TEST_WORKER_CONCURRENCY ?? 4),
});
process.stdout.write("ready\n");
