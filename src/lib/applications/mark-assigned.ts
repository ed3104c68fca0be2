// APPROVED_PENDING_ROLE -> APPROVED_ROLE_ASSIGNED, the role job's hot path, as one statement: the conditional
// UPDATE (status and version), its audit row, and what every transition owes other systems in the same transaction
// (state-machine.ts does these through applyTransition): the `role.assigned` webhook event with a delivery and its job
// per subscribed endpoint (webhooks/outbox.ts), and the edit of the application's review-channel message
// (review-channel/enqueue.ts). One round trip instead of a transaction's six; a lost race changes nothing, records
// the outcomes alone and is reported as a conflict.
import { Prisma } from "@/generated/prisma/client";
import { queryRows } from "@/lib/db";
import { AppError } from "@/lib/errors/app-error";
import { REVIEW_MESSAGE_MAX_ATTEMPTS, SYNC_REVIEW_MESSAGE_TASK } from "@/lib/review-channel/enqueue";
import { eventForTransition } from "@/lib/webhooks/events";
import { DELIVER_WEBHOOK_TASK, WEBHOOK_DELIVERY_MAX_ATTEMPTS } from "@/lib/webhooks/outbox";
import type { RoleOutcome } from "./apply-role-rules";
import { recordRoleOutcomes, type StoredRoleOutcome } from "./role-rule-runs";
import { assertTransition } from "./state-machine";

const FROM = "APPROVED_PENDING_ROLE";
const TO = "APPROVED_ROLE_ASSIGNED";

export type MarkAssignedOptions = {
  application: { id: string; organizationId: string; version: number };
  outcomes: readonly RoleOutcome[];
  /** The audit row's details (attempt, guild, roles). */
  metadata: Record<string, unknown>;
};

export async function markAssigned(options: MarkAssignedOptions): Promise<void> {
  assertTransition(FROM, TO);
  const { id, organizationId, version } = options.application;
  const audit = JSON.stringify({ from: FROM, to: TO, actor: "system", discord: "assigned", ...options.metadata });
  const at = new Date().toISOString();
  const stored = JSON.stringify(options.outcomes.map((o): StoredRoleOutcome => ({ ...o, at })));
  const type = eventForTransition(FROM, TO)!;
  const event = JSON.stringify({
    type,
    timestamp: at,
    data: { applicationId: id, organizationId, status: TO, previousStatus: FROM },
  });
  // Side-effect CTEs that only SELECT (add_job) run only when referenced, hence the counts in the last SELECT.
  const [row] = await queryRows<{ moved: number; deliveries: number; reviews: number }>(Prisma.sql`
    WITH moved AS (
      UPDATE "Application" SET status = ${TO}::"ApplicationStatus", "roleAssignmentStatus" = 'SUCCESS',
        "roleOutcomes" = ${stored}::jsonb,
        "roleAssignedAt" = now(), "roleErrorCode" = NULL, "roleErrorMessage" = NULL, version = version + 1, "updatedAt" = now()
      WHERE id = ${id}::uuid AND "organizationId" = ${organizationId}::uuid
        AND status = ${FROM}::"ApplicationStatus" AND version = ${version}
      RETURNING id, "organizationId"),
    audited AS (
      INSERT INTO "AuditEvent" (id, "organizationId", action, "targetType", "targetId", outcome, metadata)
      SELECT gen_random_uuid(), "organizationId", 'application.role_assigned', 'application', id::text, 'SUCCESS', ${audit}::jsonb
      FROM moved
      RETURNING 1),
    endpoints AS (
      SELECT e.id FROM "WebhookEndpoint" e JOIN moved m ON e."organizationId" = m."organizationId"
      WHERE e.enabled AND ${type} = ANY(e."eventTypes")),
    event AS (
      INSERT INTO "WebhookEvent" ("organizationId", "type", "payload")
      SELECT ${organizationId}::uuid, ${type}, ${event}::jsonb WHERE EXISTS (SELECT 1 FROM endpoints)
      RETURNING id),
    deliveries AS (
      INSERT INTO "WebhookDelivery" ("organizationId", "endpointId", "eventId", "nextAttemptAt", "updatedAt")
      SELECT ${organizationId}::uuid, endpoints.id, event.id, now(), now() FROM endpoints, event
      RETURNING id),
    delivery_jobs AS (
      SELECT graphile_worker.add_job(identifier := ${DELIVER_WEBHOOK_TASK}::text,
        payload := json_build_object('deliveryId', d.id::text), job_key := 'webhook:' || d.id::text,
        max_attempts := ${WEBHOOK_DELIVERY_MAX_ATTEMPTS}::int, job_key_mode := 'replace')
      FROM deliveries d),
    review_job AS (
      SELECT graphile_worker.add_job(identifier := ${SYNC_REVIEW_MESSAGE_TASK}::text,
        payload := json_build_object('applicationId', m.id::text, 'organizationId', m."organizationId"::text),
        job_key := 'review-message:' || m.id::text, max_attempts := ${REVIEW_MESSAGE_MAX_ATTEMPTS}::int,
        job_key_mode := 'replace')
      FROM moved m JOIN "ApplicationReviewMessage" r ON r."applicationId" = m.id AND r."organizationId" = m."organizationId")
    SELECT (SELECT count(*) FROM audited)::int AS moved, (SELECT count(*) FROM delivery_jobs)::int AS deliveries,
      (SELECT count(*) FROM review_job)::int AS reviews`);
  if (row?.moved !== 1) {
    await recordRoleOutcomes({ applicationId: id, outcomes: options.outcomes });
    throw new AppError("conflict", "The application changed while its role was being assigned.");
  }
}
