// Every minute: a pending delivery without a live job (lost, or given up by graphile-worker after crashes) gets one
// again. A delivery job held by a dead runner is released by the worker registry (src/lib/jobs/worker-registry.ts)
// within about 25 s; unlocking by lock age here, as this sweeper once did, freed every job of a live runner too.
import { Prisma } from "@/generated/prisma/client";
import { db } from "@/lib/db";
import { ensureJobSchema } from "@/lib/jobs/migrate";
import { enqueueDelivery, webhookJobKey } from "./outbox";
import type { WebhookSettings } from "./settings";

export const SWEEP_WEBHOOKS_TASK = "sweep-webhook-deliveries";
export const WEBHOOK_CRONTAB = `* * * * * ${SWEEP_WEBHOOKS_TASK}`;

export type SweepWebhooksResult = { reenqueued: number };

export type SweepWebhooksOptions = { settings: Pick<WebhookSettings, "staleLockMs"> };

export async function sweepWebhookDeliveries(options: SweepWebhooksOptions): Promise<SweepWebhooksResult> {
  await ensureJobSchema();
  const stale = `${Math.round(options.settings.staleLockMs)} milliseconds`;
  const orphans = await db.$queryRaw<{ id: string }[]>(Prisma.sql`
    SELECT d.id::text FROM "WebhookDelivery" d
    WHERE d.status = 'PENDING' AND d."nextAttemptAt" < now() - ${stale}::interval
      AND NOT EXISTS (
        SELECT 1 FROM graphile_worker._private_jobs j
        WHERE j.key = ${webhookJobKey.sql(Prisma.sql`d.id::text`)} AND j.attempts < j.max_attempts)
    ORDER BY d."nextAttemptAt" LIMIT 500`);
  for (const orphan of orphans) await enqueueDelivery({ tx: db, deliveryId: orphan.id });
  return { reenqueued: orphans.length };
}
