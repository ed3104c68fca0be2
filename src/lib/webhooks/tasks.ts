// The webhook tasks the job runner serves: one delivery attempt per job, and the sweeper.
import type { TaskList } from "graphile-worker";
import { runDelivery, type RunDeliveryOptions } from "./deliver";
import { DELIVER_WEBHOOK_TASK, type DeliverWebhookPayload } from "./outbox";
import type { WebhookSettings } from "./settings";
import { SWEEP_WEBHOOKS_TASK, sweepWebhookDeliveries } from "./sweeper";

export { WEBHOOK_CRONTAB } from "./sweeper";

export type CreateWebhookTasksOptions = { settings: WebhookSettings; lookup?: RunDeliveryOptions["lookup"] };

export function createWebhookTasks(options: CreateWebhookTasksOptions): TaskList {
  return {
    [DELIVER_WEBHOOK_TASK]: async (payload) => {
      await runDelivery({
        deliveryId: (payload as DeliverWebhookPayload).deliveryId,
        settings: options.settings,
        lookup: options.lookup,
      });
    },
    [SWEEP_WEBHOOKS_TASK]: async () => {
      await sweepWebhookDeliveries({ settings: options.settings });
    },
  };
}
