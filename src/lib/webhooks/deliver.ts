// One delivery attempt: sign with the endpoint's current (and overlapping previous) secret, POST to the address
// the destination check approved, and record the outcome with the next attempt in one transaction. The webhook-id
// is the event id, the same on every attempt, so a receiver that got an attempt whose outcome we never recorded
// (a worker killed mid-request) recognises the repeat. After sustained failure the endpoint is disabled. An attempt
// holds one of its endpoint's slots (endpoint-slots.ts) while it runs.
import { recordAudit } from "@/lib/audit/record-audit";
import type { Prisma } from "@/generated/prisma/client";
import { db, type Tx } from "@/lib/db";
import { logger } from "@/lib/logger";
import { isDestinationRefused, resolveDestination, type ResolveDestinationOptions } from "./destination";
import { acquireEndpointSlot, releaseEndpointSlot } from "./endpoint-slots";
import { postPinned, type PostResult } from "./http-post";
import { enqueueDelivery } from "./outbox";
import { signHeaders, signingSecrets } from "./secrets";
import { nextDelayMs, type WebhookSettings } from "./settings";

export type RunDeliveryOptions = {
  deliveryId: string;
  settings: WebhookSettings;
  /** DNS for the destination check (tests resolve names to chosen addresses). */
  lookup?: ResolveDestinationOptions["lookup"];
};

/** "waiting": every slot of the endpoint was taken; the job comes back without an attempt spent (endpoint-slots.ts). */
export type DeliveryOutcome = "succeeded" | "retrying" | "failed" | "skipped" | "waiting";

export async function runDelivery(options: RunDeliveryOptions): Promise<DeliveryOutcome> {
  const { settings } = options;
  const delivery = await db.webhookDelivery.findUnique({
    where: { id: options.deliveryId },
    include: { endpoint: true, event: true },
  });
  if (!delivery || delivery.status !== "PENDING") return "skipped";
  const { endpoint, event } = delivery;
  if (!endpoint.enabled) {
    await db.webhookDelivery.updateMany({
      where: { id: delivery.id, status: "PENDING", attempts: delivery.attempts },
      data: { status: "FAILED", nextAttemptAt: null, lastError: "The endpoint is disabled." },
    });
    return "skipped";
  }

  const slot = { endpointId: endpoint.id, deliveryId: delivery.id };
  const claim = await acquireEndpointSlot({
    ...slot,
    limit: settings.maxInFlightPerEndpoint,
    timeoutMs: settings.timeoutMs,
  });
  if (claim.slot === null) {
    // The endpoint has its deliveries in flight already: not an attempt, and no runner slot held while waiting.
    await enqueueDelivery({ tx: db, deliveryId: delivery.id, runAt: claim.retryAt });
    return "waiting";
  }
  try {
    const body = JSON.stringify(event.payload);
    let result: PostResult;
    try {
      const destination = await resolveDestination({
        url: endpoint.url,
        allowPrivate: settings.allowPrivateDestinations,
        lookup: options.lookup,
      });
      const secrets = await signingSecrets({ organizationId: endpoint.organizationId, endpointId: endpoint.id });
      const headers = signHeaders({ secrets, messageId: event.id, timestamp: new Date(), body });
      result = await postPinned({ destination, headers, body, timeoutMs: settings.timeoutMs });
    } catch (error) {
      if (!isDestinationRefused(error)) throw error;
      result = { statusCode: null, latencyMs: 0, error: error.message };
    }
    return await recordAttempt({ delivery, result, settings });
  } finally {
    // Without the database now, the lease frees the slot when it ends.
    await releaseEndpointSlot(slot).catch(() => undefined);
  }
}

type LoadedDelivery = Prisma.WebhookDeliveryGetPayload<{ include: { endpoint: true; event: true } }>;

async function recordAttempt(options: {
  delivery: LoadedDelivery;
  result: PostResult;
  settings: WebhookSettings;
}): Promise<DeliveryOutcome> {
  const { delivery, result, settings } = options;
  const { endpoint } = delivery;
  const succeeded = result.error === null;
  const attempt = delivery.attempts + 1;
  const now = new Date();
  const delay = succeeded ? null : nextDelayMs(settings, attempt);
  const nextAttemptAt = delay === null ? null : new Date(now.getTime() + delay);
  const outcome: DeliveryOutcome = succeeded ? "succeeded" : nextAttemptAt ? "retrying" : "failed";

  await db.$transaction(async (tx) => {
    // Conditional on the attempt count we read: a concurrent run of the same delivery records nothing twice.
    const { count } = await tx.webhookDelivery.updateMany({
      where: { id: delivery.id, status: "PENDING", attempts: delivery.attempts },
      data: {
        status: succeeded ? "SUCCEEDED" : nextAttemptAt ? "PENDING" : "FAILED",
        attempts: attempt,
        lastAttemptAt: now,
        lastStatusCode: result.statusCode,
        lastLatencyMs: result.latencyMs,
        lastError: result.error,
        nextAttemptAt,
      },
    });
    if (count !== 1) return;
    await tx.webhookDeliveryAttempt.create({
      data: {
        deliveryId: delivery.id,
        attempt,
        succeeded,
        statusCode: result.statusCode,
        latencyMs: result.latencyMs,
        error: result.error,
      },
    });
    if (nextAttemptAt) await enqueueDelivery({ tx, deliveryId: delivery.id, runAt: nextAttemptAt });
    if (succeeded) {
      await tx.webhookEndpoint.updateMany({
        where: { id: endpoint.id, consecutiveFailures: { gt: 0 } },
        data: { consecutiveFailures: 0, failingSince: null },
      });
      return;
    }
    const [failing] = await tx.$queryRaw<{ consecutiveFailures: number; failingSince: Date }[]>`
      UPDATE "WebhookEndpoint"
      SET "consecutiveFailures" = "consecutiveFailures" + 1, "failingSince" = coalesce("failingSince", ${now}), "updatedAt" = ${now}
      WHERE "id" = ${endpoint.id}::uuid
      RETURNING "consecutiveFailures", "failingSince"`;
    if (!failing) return;
    const sustained =
      failing.consecutiveFailures >= settings.disableAfterFailures &&
      now.getTime() - failing.failingSince.getTime() >= settings.disableAfterMs;
    if (sustained)
      await disableEndpoint({
        tx,
        endpointId: endpoint.id,
        organizationId: endpoint.organizationId,
        failures: failing.consecutiveFailures,
        since: failing.failingSince,
      });
  });
  return outcome;
}

type DisableOptions = { tx: Tx; endpointId: string; organizationId: string; failures: number; since: Date };

async function disableEndpoint(options: DisableOptions): Promise<void> {
  const { tx, endpointId, organizationId, failures, since } = options;
  const reason = `Disabled after ${failures} failed deliveries in a row since ${since.toISOString()}.`;
  const { count } = await tx.webhookEndpoint.updateMany({
    where: { id: endpointId, organizationId, enabled: true },
    data: { enabled: false, disabledAt: new Date(), disabledReason: reason },
  });
  if (count !== 1) return;
  await recordAudit({
    db: tx,
    organizationId,
    action: "webhook.endpoint_disabled",
    targetType: "webhook_endpoint",
    targetId: endpointId,
    outcome: "FAILED",
    metadata: { actor: "system", failures, failingSince: since.toISOString() },
  });
  logger.warn({ organizationId, endpointId, failures }, "webhook endpoint disabled after sustained failure");
}
