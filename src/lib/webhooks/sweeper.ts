// Every minute: a delivery job held by a dead worker is released (graphile-worker would wait 4 hours), and a
// pending delivery without a live job (lost, or given up by graphile-worker after crashes) gets one again.
import { Prisma } from "@/generated/prisma/client";
import { db } from "@/lib/db";
import { ensureJobSchema } from "@/lib/jobs/migrate";
import { logger } from "@/lib/logger";
import { DELIVER_WEBHOOK_TASK, enqueueDelivery } from "./outbox";
import type { WebhookSettings } from "./settings";

export const SWEEP_WEBHOOKS_TASK = "sweep-webhook-deliveries";
export const WEBHOOK_CRONTAB = `* * * * * ${SWEEP_WEBHOOKS_TASK}`;

export type SweepWebhooksResult = { unlockedWorkers: number; reenqueued: number };

export type SweepWebhooksOptions = { settings: Pick<WebhookSettings, "staleLockMs"> };

export async function sweepWebhookDeliveries(options: SweepWebhooksOptions): Promise<SweepWebhooksResult> {
  await ensureJobSchema();
  const stale = `${Math.round(options.settings.staleLockMs)} milliseconds`;
  const dead = await db.$queryRaw<{ worker: string }[]>(Prisma.sql`
    SELECT DISTINCT j.locked_by AS worker FROM graphile_worker._private_jobs j
    JOIN graphile_worker._private_tasks t ON t.id = j.task_id
    WHERE t.identifier = ${DELIVER_WEBHOOK_TASK} AND j.locked_at < now() - ${stale}::interval AND j.locked_by IS NOT NULL`);
  const workers = dead.map((d) => d.worker);
  if (workers.length) {
    await db.$executeRaw(Prisma.sql`SELECT graphile_worker.force_unlock_workers(${workers}::text[])`);
    logger.warn({ workers }, "unlocked webhook deliveries of workers presumed dead");
  }
  const orphans = await db.$queryRaw<{ id: string }[]>(Prisma.sql`
    SELECT d.id::text FROM "WebhookDelivery" d
    WHERE d.status = 'PENDING' AND d."nextAttemptAt" < now() - ${stale}::interval
      AND NOT EXISTS (
        SELECT 1 FROM graphile_worker._private_jobs j
        WHERE j.key = 'webhook:' || d.id::text AND j.attempts < j.max_attempts)
    ORDER BY d."nextAttemptAt" LIMIT 500`);
  for (const orphan of orphans) await enqueueDelivery({ tx: db, deliveryId: orphan.id });
  return { unlockedWorkers: workers.length, reenqueued: orphans.length };
}
