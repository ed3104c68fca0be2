// The composition root of the job runners: the application tasks with production timings, the guild's bot token
// from the token resolver, and the sweeper's crontab; webhook deliveries on a runner of their own. Started by
// instrumentation.ts (WORKER_IN_PROCESS) or by `npm run worker`.
import type { Runner } from "graphile-worker";
import { env } from "@/lib/env";
import { defaultDiscordRoleGateway } from "@/lib/applications/role-jobs/discord-gateway";
import { DEFAULT_ROLE_SETTINGS } from "@/lib/applications/role-jobs/settings";
import { APPLICATION_CRONTAB, createApplicationTasks } from "@/lib/applications/role-jobs/tasks";
import { OAUTH_REFRESH_CRONTAB, createOAuthRefreshTasks } from "@/lib/discord/oauth-refresh-task";
import { getGuildBotToken } from "@/lib/discord/token-resolver";
import { CLEANUP_CRONTAB, createCleanupTasks } from "@/lib/maintenance/cleanup-task";
import { createReviewChannelTasks } from "@/lib/review-channel/tasks";
import { DELIVER_WEBHOOK_TASK } from "@/lib/webhooks/outbox";
import { WEBHOOK_CRONTAB, createWebhookTasks } from "@/lib/webhooks/tasks";
import { defaultWebhookSettings } from "@/lib/webhooks/settings";
import { createDiscordMessageSender } from "@/lib/notifications/sender";
import { createNotificationTasks, DEFAULT_NOTIFICATION_TIMINGS } from "@/lib/notifications/task";
import { ensureJobSchema } from "@/lib/jobs/migrate";
import { startJobRunner } from "@/lib/jobs/runner";

/** Every scheduled task: the role-assignment sweeper, the Discord OAuth refresh, the retention clean-up, the webhook sweeper. */
export const WORKER_CRONTAB = [APPLICATION_CRONTAB, OAUTH_REFRESH_CRONTAB, CLEANUP_CRONTAB, WEBHOOK_CRONTAB].join("\n");

export type StartWorkerOptions = { handleSignals?: boolean; concurrency?: number };

/**
 * How the production runner fetches and records jobs (benchmarks run with the same): outcomes through the batcher
 * and due jobs fetched a batch at a time.
 */
export const WORKER_BATCHING = { outcomeBatching: true, localQueueSize: 10 } as const;

/**
 * The process's runners start at once: the job schema is migrated once per process first (ensureJobSchema is shared),
 * rather than by two of graphile-worker's start-up migrations racing each other on a fresh database.
 */
const migrateOnce = () => ensureJobSchema();

/**
 * Every task but webhook deliveries: role assignment, decision messages, review messages, the sweepers (the webhook
 * sweeper too), the clean-up. A runner fetches only the identifiers in its task list, so deliveries (up to 10 s
 * each against a silent receiver) never hold these slots.
 */
export async function startWorker(options: StartWorkerOptions = {}): Promise<Runner> {
  await migrateOnce();
  // Shared with POST /api/discord/assign-role when the worker runs in the web process: one role list per guild.
  const gateway = defaultDiscordRoleGateway();
  const { [DELIVER_WEBHOOK_TASK]: _delivery, ...webhookTasks } = createWebhookTasks({
    settings: defaultWebhookSettings(),
  });
  return startJobRunner({
    taskList: {
      ...createApplicationTasks({ ...DEFAULT_ROLE_SETTINGS, gateway }),
      ...createOAuthRefreshTasks(),
      ...createCleanupTasks(),
      ...webhookTasks,
      ...createNotificationTasks({
        ...DEFAULT_NOTIFICATION_TIMINGS,
        sender: createDiscordMessageSender({
          resolveToken: (guildId) => getGuildBotToken(guildId),
          timeoutMs: DEFAULT_NOTIFICATION_TIMINGS.timeoutMs,
        }),
      }),

      ...createReviewChannelTasks(),
    },
    crontab: WORKER_CRONTAB,
    concurrency: options.concurrency,
    handleSignals: options.handleSignals,
    // Callers keep it alive with superviseRunner() (supervise.ts): a lost database ends this runner, not the process.
    ...WORKER_BATCHING,
  });
}

/**
 * Webhook deliveries alone, with slots of their own (WORKER_WEBHOOK_CONCURRENCY), beside startWorker() in the same
 * process and under the same supervision. No local queue: a delivery's fetch is not what it costs.
 */
export async function startDeliveryWorker(options: StartWorkerOptions = {}): Promise<Runner> {
  await migrateOnce();
  const { [DELIVER_WEBHOOK_TASK]: deliver } = createWebhookTasks({ settings: defaultWebhookSettings() });
  return startJobRunner({
    taskList: { [DELIVER_WEBHOOK_TASK]: deliver! },
    lane: "deliveries",
    concurrency: options.concurrency ?? env.WORKER_WEBHOOK_CONCURRENCY,
    handleSignals: options.handleSignals,
    outcomeBatching: WORKER_BATCHING.outcomeBatching,
  });
}

/** The runners a worker process keeps alive (each under superviseRunner()): every job but deliveries, and deliveries. */
export const WORKER_RUNNERS = [startWorker, startDeliveryWorker] as const;
