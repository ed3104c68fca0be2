// The outbox: an event and its deliveries are written in the caller's transaction, so a change that commits has
// its event and a rolled-back change has none. One statement, written once (`webhookEventCtes`): alone for
// recordWebhookEvent, and as a piece of every application transition's statement (`webhookTransitionEffect`,
// composed by the state machine). Organizations without a subscribed endpoint pay nothing more than the read.
import { Prisma } from "@/generated/prisma/client";
import type { Db, Tx } from "@/lib/db";
import { addJob, addJobSql, jobKey } from "@/lib/jobs/add-job";
import { ensureJobSchema } from "@/lib/jobs/migrate";
import { withCtes, type Cte, type TransitionEffect } from "@/lib/statement";
import { eventForTransition, type ApplicationEventData, type WebhookEventType } from "./events";

export const DELIVER_WEBHOOK_TASK = "deliver-webhook";
/** graphile-worker's attempts for a delivery job: the task records HTTP failures itself; these are only crashes. */
export const WEBHOOK_DELIVERY_MAX_ATTEMPTS = 5;
/** The job key is the delivery id: a redelivery or the sweeper replaces a waiting job instead of adding another. */
export const webhookJobKey = jobKey("webhook");

export type DeliverWebhookPayload = { deliveryId: string };

type EventType = WebhookEventType | "webhook.test";

export type WebhookEventCtesOptions = {
  organizationId: string;
  type: EventType;
  data: Record<string, unknown>;
  /** ISO time of the change the event announces. */
  timestamp: string;
  /** Only this endpoint (the test event); otherwise every enabled endpoint subscribed to `type`. */
  endpointId?: string;
  /** A relation of the statement that must have a row (the moved application), or nothing is written. */
  when?: Prisma.Sql;
};

/**
 * The CTEs `webhook_endpoints`, `webhook_event`, `webhook_deliveries` and `webhook_jobs` (one delivery job each,
 * with its delivery id and event id): the event only when an endpoint is subscribed.
 */
export function webhookEventCtes(options: WebhookEventCtesOptions): Cte[] {
  const { organizationId, type } = options;
  const payload = JSON.stringify({ type, timestamp: options.timestamp, data: options.data });
  const endpointFilter = options.endpointId
    ? Prisma.sql`e."id" = ${options.endpointId}::uuid`
    : Prisma.sql`e."enabled" AND ${type}::text = ANY(e."eventTypes")`;
  const when = options.when ? Prisma.sql`AND EXISTS (SELECT 1 FROM ${options.when})` : Prisma.empty;
  return [
    {
      name: "webhook_endpoints",
      sql: Prisma.sql`SELECT e."id" FROM "WebhookEndpoint" e
        WHERE e."organizationId" = ${organizationId}::uuid AND ${endpointFilter} ${when}`,
    },
    {
      name: "webhook_event",
      sql: Prisma.sql`INSERT INTO "WebhookEvent" ("organizationId", "type", "payload")
        SELECT ${organizationId}::uuid, ${type}::text, ${payload}::jsonb WHERE EXISTS (SELECT 1 FROM webhook_endpoints)
        RETURNING "id"`,
    },
    {
      name: "webhook_deliveries",
      sql: Prisma.sql`INSERT INTO "WebhookDelivery" ("organizationId", "endpointId", "eventId", "nextAttemptAt", "updatedAt")
        SELECT ${organizationId}::uuid, webhook_endpoints."id", webhook_event."id", now(), now()
        FROM webhook_endpoints, webhook_event
        RETURNING "id", "eventId"`,
    },
    {
      name: "webhook_jobs",
      counted: true,
      sql: Prisma.sql`SELECT d."id" AS "deliveryId", d."eventId", ${addJobSql({
        identifier: DELIVER_WEBHOOK_TASK,
        payload: Prisma.sql`json_build_object('deliveryId', d."id"::text)`,
        jobKey: webhookJobKey.sql(Prisma.sql`d."id"::text`),
        // Our task records HTTP failures itself and schedules the next attempt; graphile-worker retries only a crash.
        maxAttempts: WEBHOOK_DELIVERY_MAX_ATTEMPTS,
      })} AS job
        FROM webhook_deliveries d`,
    },
  ];
}

export type RecordWebhookEventOptions = {
  tx: Tx;
  organizationId: string;
  type: EventType;
  data: Record<string, unknown>;
  /** Only this endpoint (the test event); otherwise every enabled endpoint subscribed to `type`. */
  endpointId?: string;
};

/** Writes the event and one delivery per subscribed endpoint, and enqueues each delivery. Returns delivery ids. */
export async function recordWebhookEvent(
  options: RecordWebhookEventOptions,
): Promise<{ eventId: string | null; deliveryIds: string[] }> {
  await ensureJobSchema();
  const ctes = webhookEventCtes({ ...options, timestamp: new Date().toISOString() });
  const rows = await options.tx.$queryRaw<{ eventId: string; deliveryId: string }[]>(
    withCtes(
      ctes,
      Prisma.sql`SELECT "eventId"::text AS "eventId", "deliveryId"::text AS "deliveryId" FROM webhook_jobs`,
    ),
  );
  return { eventId: rows[0]?.eventId ?? null, deliveryIds: rows.map((r) => r.deliveryId) };
}

/** Every transition's event (none for a transition that is no event), written when the transition is. */
export const webhookTransitionEffect: TransitionEffect = (transition) => {
  const { from, to, applicationId, organizationId, roleError } = transition;
  const type = eventForTransition(from, to);
  if (!type) return [];
  const data: ApplicationEventData = {
    applicationId,
    organizationId,
    status: to,
    previousStatus: from,
    ...(type === "role.failed" && roleError ? { roleError } : {}),
  };
  return webhookEventCtes({ organizationId, type, data, timestamp: transition.at, when: transition.moved });
};

export type EnqueueDeliveryOptions = { tx: Tx | Db; deliveryId: string; runAt?: Date };

export async function enqueueDelivery(options: EnqueueDeliveryOptions): Promise<void> {
  const payload: DeliverWebhookPayload = { deliveryId: options.deliveryId };
  await addJob({
    tx: options.tx,
    identifier: DELIVER_WEBHOOK_TASK,
    payload,
    jobKey: webhookJobKey.of(options.deliveryId),
    runAt: options.runAt,
    // Our task records HTTP failures itself and schedules the next attempt; graphile-worker retries only a crash.
    maxAttempts: WEBHOOK_DELIVERY_MAX_ATTEMPTS,
  });
}
