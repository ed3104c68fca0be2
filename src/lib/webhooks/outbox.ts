// The outbox: an event and its deliveries are written in the caller's transaction, so a change that commits has
// its event and a rolled-back change has none. One statement: organizations without a subscribed endpoint pay one
// round trip that writes nothing.
import { Prisma } from "@/generated/prisma/client";
import type { Db, Tx } from "@/lib/db";
import { addJob } from "@/lib/jobs/add-job";
import { eventForTransition, type ApplicationEventData, type WebhookEventType } from "./events";

export const DELIVER_WEBHOOK_TASK = "deliver-webhook";
/** graphile-worker's attempts for a delivery job: the task records HTTP failures itself; these are only crashes. */
export const WEBHOOK_DELIVERY_MAX_ATTEMPTS = 5;

export type DeliverWebhookPayload = { deliveryId: string };

export type RecordWebhookEventOptions = {
  tx: Tx;
  organizationId: string;
  type: WebhookEventType | "webhook.test";
  data: Record<string, unknown>;
  /** Only this endpoint (the test event); otherwise every enabled endpoint subscribed to `type`. */
  endpointId?: string;
};

/** Writes the event and one delivery per subscribed endpoint, and enqueues each delivery. Returns delivery ids. */
export async function recordWebhookEvent(
  options: RecordWebhookEventOptions,
): Promise<{ eventId: string | null; deliveryIds: string[] }> {
  const { tx, organizationId, type } = options;
  const payload = JSON.stringify({ type, timestamp: new Date().toISOString(), data: options.data });
  const endpointFilter = options.endpointId
    ? Prisma.sql`"id" = ${options.endpointId}::uuid`
    : Prisma.sql`"enabled" AND ${type} = ANY("eventTypes")`;
  const rows = await tx.$queryRaw<{ eventId: string; deliveryId: string }[]>(Prisma.sql`
    WITH endpoints AS (
      SELECT "id" FROM "WebhookEndpoint" WHERE "organizationId" = ${organizationId}::uuid AND ${endpointFilter}
    ), event AS (
      INSERT INTO "WebhookEvent" ("organizationId", "type", "payload")
      SELECT ${organizationId}::uuid, ${type}, ${payload}::jsonb WHERE EXISTS (SELECT 1 FROM endpoints)
      RETURNING "id"
    )
    INSERT INTO "WebhookDelivery" ("organizationId", "endpointId", "eventId", "nextAttemptAt", "updatedAt")
    SELECT ${organizationId}::uuid, endpoints."id", event."id", now(), now() FROM endpoints, event
    RETURNING "eventId"::text AS "eventId", "id"::text AS "deliveryId"`);
  for (const row of rows) await enqueueDelivery({ tx, deliveryId: row.deliveryId });
  return { eventId: rows[0]?.eventId ?? null, deliveryIds: rows.map((r) => r.deliveryId) };
}

export type EnqueueDeliveryOptions = { tx: Tx | Db; deliveryId: string; runAt?: Date };

/** The job key is the delivery id: a redelivery or the sweeper replaces a waiting job instead of adding another. */
export async function enqueueDelivery(options: EnqueueDeliveryOptions): Promise<void> {
  const payload: DeliverWebhookPayload = { deliveryId: options.deliveryId };
  await addJob({
    tx: options.tx,
    identifier: DELIVER_WEBHOOK_TASK,
    payload,
    jobKey: `webhook:${options.deliveryId}`,
    runAt: options.runAt,
    // Our task records HTTP failures itself and schedules the next attempt; graphile-worker retries only a crash.
    maxAttempts: WEBHOOK_DELIVERY_MAX_ATTEMPTS,
  });
}

export type RecordTransitionEventOptions = {
  tx: Tx;
  organizationId: string;
  applicationId: string;
  from: string;
  to: string;
  roleError?: { code: string; message: string } | null;
};

/** Called by the state machine for every transition; writes nothing for a transition that is no event. */
export async function recordTransitionEvent(options: RecordTransitionEventOptions): Promise<void> {
  const type = eventForTransition(options.from, options.to);
  if (!type) return;
  const data: ApplicationEventData = {
    applicationId: options.applicationId,
    organizationId: options.organizationId,
    status: options.to,
    previousStatus: options.from,
    ...(type === "role.failed" && options.roleError ? { roleError: options.roleError } : {}),
  };
  await recordWebhookEvent({ tx: options.tx, organizationId: options.organizationId, type, data });
}
