// A job runner serving only the webhook tasks, as its own process (`tsx tests/helpers/webhook-worker-process.ts`):
// tests kill it mid-delivery with SIGKILL like a crashed deployment. Settings come as JSON in WEBHOOK_TEST_SETTINGS.
import { startJobRunner } from "../../src/lib/jobs/runner";
import { createWebhookTasks } from "../../src/lib/webhooks/tasks";

const settings = JSON.parse(process.env.WEBHOOK_TEST_SETTINGS ?? "{}");
const runner = await startJobRunner({ taskList: createWebhookTasks({ settings }), concurrency: 2, pollInterval: 50 });
process.stdout.write("ready\n");
await runner.promise;
