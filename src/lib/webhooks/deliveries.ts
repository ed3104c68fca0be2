// The delivery log of an endpoint (newest first, keyset pages) and manual redelivery. The log shows status,
// attempts, latency, response code and the next attempt; never the payload's signature or a secret.
import type { WebhookDelivery } from "@/generated/prisma/client";
import { recordAudit, type AuditActor } from "@/lib/audit/record-audit";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors/app-error";
import { decodeKeysetCursor, encodeKeysetCursor } from "@/lib/http/cursor";
import { getEndpointOrThrow } from "./endpoints";
import { enqueueDelivery } from "./outbox";

export type DeliveryDto = ReturnType<typeof toDeliveryDto>;

export function toDeliveryDto(delivery: WebhookDelivery & { event: { type: string } }) {
  return {
    id: delivery.id,
    eventId: delivery.eventId,
    eventType: delivery.event.type,
    status: delivery.status,
    attempts: delivery.attempts,
    lastAttemptAt: delivery.lastAttemptAt?.toISOString() ?? null,
    lastStatusCode: delivery.lastStatusCode,
    lastLatencyMs: delivery.lastLatencyMs,
    lastError: delivery.lastError,
    nextAttemptAt: delivery.nextAttemptAt?.toISOString() ?? null,
    createdAt: delivery.createdAt.toISOString(),
  };
}

export type ListDeliveriesOptions = { organizationId: string; endpointId: string; cursor?: string; limit?: number };

export async function listDeliveries(
  options: ListDeliveriesOptions,
): Promise<{ items: DeliveryDto[]; nextCursor: string | null }> {
  await getEndpointOrThrow(options);
  const limit = Math.min(Math.max(1, options.limit ?? 25), 100);
  const after = options.cursor ? decodeKeysetCursor(options.cursor) : undefined;
  const rows = await db.webhookDelivery.findMany({
    where: {
      endpointId: options.endpointId,
      organizationId: options.organizationId,
      ...(after
        ? { OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }] }
        : {}),
    },
    include: { event: { select: { type: true } } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit + 1,
  });
  const items = rows.slice(0, limit);
  return {
    items: items.map(toDeliveryDto),
    nextCursor: rows.length > limit ? encodeKeysetCursor(items[items.length - 1]!) : null,
  };
}

export type RedeliverOptions = {
  organizationId: string;
  endpointId: string;
  deliveryId: string;
  actor: AuditActor;
  ip?: string | null;
};

/** Sends a delivery once more now (same event id, so receivers that already have it ignore it). */
export async function redeliver(options: RedeliverOptions): Promise<DeliveryDto> {
  const { organizationId, endpointId, deliveryId } = options;
  return db.$transaction(async (tx) => {
    const delivery = await tx.webhookDelivery.findFirst({
      where: { id: deliveryId, endpointId, organizationId },
      // Not the event too: sibling relations in a transaction are concurrent queries on its one connection
      // (see src/lib/notifications/enqueue.ts); the update below reads the event.
      include: { endpoint: { select: { enabled: true } } },
    });
    if (!delivery) throw new AppError("not_found", "No such delivery for this endpoint.");
    if (!delivery.endpoint.enabled)
      throw new AppError("conflict", "This endpoint is disabled; enable it before redelivering.");
    if (delivery.status === "PENDING" && delivery.attempts === 0) {
      throw new AppError("conflict", "This delivery has not been attempted yet; it is on its way.");
    }
    const updated = await tx.webhookDelivery.update({
      where: { id: delivery.id },
      data: { status: "PENDING", nextAttemptAt: new Date() },
      include: { event: { select: { type: true } } },
    });
    await enqueueDelivery({ tx, deliveryId: delivery.id });
    await recordAudit({
      db: tx,
      organizationId,
      actor: options.actor,
      action: "webhook.redelivered",
      targetType: "webhook_delivery",
      targetId: delivery.id,
      outcome: "SUCCESS",
      metadata: { endpointId, eventId: delivery.eventId },
      ip: options.ip,
    });
    return toDeliveryDto(updated);
  });
}
