// Managing an organization's endpoints. Every change is audited in its transaction; a new endpoint's signing
// secret and a rotated one are returned once, in that response only.
import { z } from "zod";
import type { WebhookEndpoint } from "@/generated/prisma/client";
import { recordAudit, type AuditActor } from "@/lib/audit/record-audit";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors/app-error";
import { WEBHOOK_EVENT_TYPES, webhookEventType } from "./events";
import { parseEndpointUrl } from "./destination";
import { recordWebhookEvent } from "./outbox";
import { deleteSigningSecrets, generateSigningSecret, rotateSigningSecret, storeSigningSecret } from "./secrets";
import { defaultWebhookSettings } from "./settings";

export const MAX_ENDPOINTS_PER_ORGANIZATION = 20;

export const endpointInput = z.object({
  url: z.string().trim().min(1).max(2000),
  description: z.string().trim().max(300).default(""),
  eventTypes: z.array(webhookEventType).min(1, "Pick at least one event type.").max(WEBHOOK_EVENT_TYPES.length),
});

export const endpointUpdate = endpointInput.partial().extend({
  /** true re-enables a disabled endpoint (and forgets its failures); false pauses it. */
  enabled: z.boolean().optional(),
});

export type EndpointInput = z.infer<typeof endpointInput>;
export type EndpointUpdate = z.infer<typeof endpointUpdate>;

export type EndpointDto = ReturnType<typeof toEndpointDto>;

export function toEndpointDto(endpoint: WebhookEndpoint) {
  return {
    id: endpoint.id,
    url: endpoint.url,
    description: endpoint.description,
    eventTypes: endpoint.eventTypes,
    enabled: endpoint.enabled,
    consecutiveFailures: endpoint.consecutiveFailures,
    failingSince: endpoint.failingSince?.toISOString() ?? null,
    disabledAt: endpoint.disabledAt?.toISOString() ?? null,
    disabledReason: endpoint.disabledReason,
    createdAt: endpoint.createdAt.toISOString(),
    updatedAt: endpoint.updatedAt.toISOString(),
  };
}

type Actor = { actor: AuditActor; ip?: string | null };

const checkUrl = (url: string) => parseEndpointUrl(url, { production: env.NODE_ENV === "production" }).toString();

export async function listEndpoints(options: { organizationId: string }): Promise<EndpointDto[]> {
  const rows = await db.webhookEndpoint.findMany({
    where: { organizationId: options.organizationId },
    orderBy: { createdAt: "asc" },
  });
  return rows.map(toEndpointDto);
}

export async function getEndpointOrThrow(options: {
  organizationId: string;
  endpointId: string;
}): Promise<WebhookEndpoint> {
  const endpoint = await db.webhookEndpoint.findFirst({
    where: { id: options.endpointId, organizationId: options.organizationId },
  });
  if (!endpoint) throw new AppError("not_found", "No such webhook endpoint in this organization.");
  return endpoint;
}

export type CreateEndpointOptions = Actor & { organizationId: string; input: EndpointInput };

export async function createEndpoint(
  options: CreateEndpointOptions,
): Promise<{ endpoint: EndpointDto; secret: string }> {
  const { organizationId, input } = options;
  const url = checkUrl(input.url);
  const secret = generateSigningSecret();
  const endpoint = await db.$transaction(async (tx) => {
    const count = await tx.webhookEndpoint.count({ where: { organizationId } });
    if (count >= MAX_ENDPOINTS_PER_ORGANIZATION) {
      throw new AppError(
        "conflict",
        `An organization can have at most ${MAX_ENDPOINTS_PER_ORGANIZATION} webhook endpoints.`,
      );
    }
    const created = await tx.webhookEndpoint.create({
      data: { organizationId, url, description: input.description, eventTypes: [...new Set(input.eventTypes)] },
    });
    await storeSigningSecret({ db: tx, organizationId, endpointId: created.id, secret });
    await audit(tx, options, "webhook.endpoint_created", created.id, {
      url: created.url,
      eventTypes: created.eventTypes,
    });
    return created;
  });
  return { endpoint: toEndpointDto(endpoint), secret };
}

export type UpdateEndpointOptions = Actor & { organizationId: string; endpointId: string; input: EndpointUpdate };

export async function updateEndpoint(options: UpdateEndpointOptions): Promise<EndpointDto> {
  const { organizationId, endpointId, input } = options;
  const url = input.url === undefined ? undefined : checkUrl(input.url);
  const endpoint = await db.$transaction(async (tx) => {
    const reenable =
      input.enabled === true
        ? { consecutiveFailures: 0, failingSince: null, disabledAt: null, disabledReason: null }
        : {};
    const pause = input.enabled === false ? { disabledAt: new Date(), disabledReason: "Paused by an admin." } : {};
    const { count } = await tx.webhookEndpoint.updateMany({
      where: { id: endpointId, organizationId },
      data: {
        ...(url !== undefined ? { url } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
        ...(input.eventTypes !== undefined ? { eventTypes: [...new Set(input.eventTypes)] } : {}),
        ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
        ...reenable,
        ...pause,
      },
    });
    if (count !== 1) throw new AppError("not_found", "No such webhook endpoint in this organization.");
    await audit(tx, options, "webhook.endpoint_updated", endpointId, { fields: Object.keys(input) });
    return tx.webhookEndpoint.findUniqueOrThrow({ where: { id: endpointId } });
  });
  return toEndpointDto(endpoint);
}

export type EndpointActionOptions = Actor & { organizationId: string; endpointId: string };

export async function deleteEndpoint(options: EndpointActionOptions): Promise<void> {
  const { organizationId, endpointId } = options;
  await db.$transaction(async (tx) => {
    const { count } = await tx.webhookEndpoint.deleteMany({ where: { id: endpointId, organizationId } });
    if (count !== 1) throw new AppError("not_found", "No such webhook endpoint in this organization.");
    await deleteSigningSecrets({ tx, organizationId, endpointId });
    await audit(tx, options, "webhook.endpoint_deleted", endpointId, {});
  });
}

/** A new secret, shown once; the old one keeps signing during the overlap so receivers can switch without loss. */
export async function rotateEndpointSecret(options: EndpointActionOptions & { overlapMs?: number }) {
  const { organizationId, endpointId } = options;
  const overlapMs = options.overlapMs ?? defaultWebhookSettings().rotationOverlapMs;
  return db.$transaction(async (tx) => {
    const endpoint = await tx.webhookEndpoint.findFirst({ where: { id: endpointId, organizationId } });
    if (!endpoint) throw new AppError("not_found", "No such webhook endpoint in this organization.");
    const rotated = await rotateSigningSecret({ tx, organizationId, endpointId, overlapMs });
    await audit(tx, options, "webhook.secret_rotated", endpointId, {
      previousExpiresAt: rotated.previousExpiresAt?.toISOString() ?? null,
    });
    return { secret: rotated.secret, previousSecretExpiresAt: rotated.previousExpiresAt?.toISOString() ?? null };
  });
}

/** Queues a `webhook.test` event to this endpoint only; returns its delivery id (follow it in the log). */
export async function sendTestEvent(options: EndpointActionOptions): Promise<{ eventId: string; deliveryId: string }> {
  const { organizationId, endpointId } = options;
  return db.$transaction(async (tx) => {
    const endpoint = await tx.webhookEndpoint.findFirst({ where: { id: endpointId, organizationId } });
    if (!endpoint) throw new AppError("not_found", "No such webhook endpoint in this organization.");
    if (!endpoint.enabled)
      throw new AppError("conflict", "This endpoint is disabled; enable it before sending a test event.");
    const recorded = await recordWebhookEvent({
      tx,
      organizationId,
      endpointId,
      type: "webhook.test",
      data: { message: "A test event from Guildgate. Verify its signature, answer 2xx, and you are set." },
    });
    await audit(tx, options, "webhook.test_sent", endpointId, {});
    return { eventId: recorded.eventId!, deliveryId: recorded.deliveryIds[0]! };
  });
}

function audit(
  tx: Parameters<typeof recordAudit>[0]["db"],
  options: Actor & { organizationId: string },
  action: string,
  endpointId: string,
  metadata: Record<string, unknown>,
) {
  return recordAudit({
    db: tx,
    organizationId: options.organizationId,
    actor: options.actor,
    action,
    targetType: "webhook_endpoint",
    targetId: endpointId,
    outcome: "SUCCESS",
    metadata,
    ip: options.ip,
  });
}

/** Endpoints switched off after sustained failure (not the ones an admin paused), for the dashboard's notice. */
export async function listAutoDisabledEndpoints(options: { organizationId: string }): Promise<EndpointDto[]> {
  const rows = await db.webhookEndpoint.findMany({
    where: { organizationId: options.organizationId, enabled: false, consecutiveFailures: { gt: 0 } },
    orderBy: { disabledAt: "desc" },
  });
  return rows.map(toEndpointDto);
}
