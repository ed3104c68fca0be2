// The one transition table for an application's lifecycle. Every change of status goes through
// `transitionApplication`: one conditional UPDATE on (status, version), so a lost race changes nothing and is
// reported as `conflict`, and the audit row commits in the same transaction.
import type { ApplicationStatus } from "@/generated/prisma/enums";
import type { Application, Prisma } from "@/generated/prisma/client";
import { recordAudit, type AuditActor } from "@/lib/audit/record-audit";
import type { Tx } from "@/lib/db";
import { AppError } from "@/lib/errors/app-error";
import { enqueueReviewMessageEdit } from "@/lib/review-channel/enqueue";
import { recordTransitionEvent } from "@/lib/webhooks/outbox";

export const TRANSITIONS: Readonly<Record<ApplicationStatus, readonly ApplicationStatus[]>> = {
  PENDING: ["REJECTED", "APPROVED", "APPROVED_PENDING_ROLE"],
  APPROVED_PENDING_ROLE: ["APPROVED_ROLE_ASSIGNED", "APPROVED_ROLE_FAILED"],
  // No dead end: retry, mark the role handled by hand (-> ASSIGNED), reject after all, or revoke.
  APPROVED_ROLE_FAILED: ["APPROVED_PENDING_ROLE", "APPROVED_ROLE_ASSIGNED", "REJECTED", "REVOKED_PENDING_ROLE_REMOVAL"],
  // An approval without a Discord account has no roles to take back.
  APPROVED: ["REVOKED"],
  REJECTED: [],
  APPROVED_ROLE_ASSIGNED: ["REVOKED_PENDING_ROLE_REMOVAL"],
  REVOKED_PENDING_ROLE_REMOVAL: ["REVOKED", "REVOKED_ROLE_REMOVAL_FAILED"],
  // Retry the removal, or mark it handled by hand (-> REVOKED).
  REVOKED_ROLE_REMOVAL_FAILED: ["REVOKED_PENDING_ROLE_REMOVAL", "REVOKED"],
  REVOKED: [],
};

/** States whose outcome the role job still has to write (the dashboard follows them without a reload). */
export const ROLE_JOB_PENDING_STATES: readonly ApplicationStatus[] = [
  "APPROVED_PENDING_ROLE",
  "REVOKED_PENDING_ROLE_REMOVAL",
];

export function canTransition(from: ApplicationStatus, to: ApplicationStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export function assertTransition(from: ApplicationStatus, to: ApplicationStatus): void {
  if (!canTransition(from, to)) {
    throw new AppError("illegal_transition", `An application cannot move from ${from} to ${to}.`, {
      details: { from, to },
    });
  }
}

/** The system actor (job runner) has no user or token id; audit rows then carry `actor: "system"` in metadata. */
export type TransitionActor = AuditActor & { system?: boolean };

export type TransitionOptions = {
  tx: Tx;
  applicationId: string;
  organizationId: string;
  from: ApplicationStatus;
  to: ApplicationStatus;
  /** The version the caller read; the UPDATE only applies if nobody changed the row since. */
  expectedVersion: number;
  data?: Omit<Prisma.ApplicationUncheckedUpdateManyInput, "status" | "version" | "id" | "organizationId">;
  actor: TransitionActor;
  /** Audit action; defaults to `application.transition`. */
  action?: string;
  metadata?: Record<string, unknown>;
  ip?: string | null;
};

/** Applies one legal transition or throws `illegal_transition` / `conflict`; returns the updated row. */
export async function transitionApplication(options: TransitionOptions): Promise<Application> {
  await applyTransition(options);
  return options.tx.application.findUniqueOrThrow({ where: { id: options.applicationId } });
}

/** The same without reading the row back (the job runner does not need it; one round trip less per job). */
export async function applyTransition(options: TransitionOptions): Promise<void> {
  const { tx, applicationId, organizationId, from, to, expectedVersion } = options;
  assertTransition(from, to);
  const { count } = await tx.application.updateMany({
    where: { id: applicationId, organizationId, status: from, version: expectedVersion },
    data: { ...options.data, status: to, version: { increment: 1 } },
  });
  if (count !== 1) {
    throw new AppError("conflict", "The application was changed by someone else; reload and try again.", {
      details: { expected: from },
    });
  }
  await recordAudit({
    db: tx,
    organizationId,
    actor: options.actor,
    action: options.action ?? "application.transition",
    targetType: "application",
    targetId: applicationId,
    outcome: to === "APPROVED_ROLE_FAILED" || to === "REVOKED_ROLE_REMOVAL_FAILED" ? "FAILED" : "SUCCESS",
    metadata: { from, to, ...(options.actor.system ? { actor: "system" } : {}), ...options.metadata },
    ip: options.ip ?? null,
  });
  // The webhook outbox row commits with the change it announces.
  const { roleErrorCode, roleErrorMessage } = options.data ?? {};
  const roleError =
    typeof roleErrorCode === "string" ? { code: roleErrorCode, message: String(roleErrorMessage ?? "") } : null;
  await recordTransitionEvent({ tx, organizationId, applicationId, from, to, roleError });
  // The application's message in the Discord review channel (if it has one) is edited to show the change.
  await enqueueReviewMessageEdit({ tx, organizationId, applicationId });
}
