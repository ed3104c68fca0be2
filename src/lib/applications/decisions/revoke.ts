// Revocation and "handled by hand". A revocation takes back an approval: the roles it added are removed (and the
// ones it removed given back, when the rule says so) by the revoke-roles job; an approval without a Discord account
// is revoked at once. Marking a failed role change handled records that an admin did it in Discord themselves.
import { z } from "zod";
import type { Application } from "@/generated/prisma/client";
import type { ApplicationStatus } from "@/generated/prisma/enums";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors/app-error";
import { enqueueDecisionMessages } from "@/lib/notifications/enqueue";
import { getApplicationOrThrow } from "@/lib/applications/queries/get-application";
import { enqueueRoleRuleJob, REVOKE_ROLES_TASK } from "@/lib/applications/role-jobs/role-rule-tasks";
import { transitionApplication } from "@/lib/applications/state-machine/state-machine";

export const revokeInputSchema = z.strictObject({ reason: z.string().trim().min(1, "Give a reason.").max(500) });
export const markHandledInputSchema = z.strictObject({ note: z.string().trim().max(500).optional() });

export type RevokeApplicationOptions = {
  applicationId: string;
  organizationId: string;
  actorId: string;
  reason: string;
  ip?: string | null;
};

export async function revokeApplication(options: RevokeApplicationOptions): Promise<Application> {
  const { applicationId, organizationId, actorId } = options;
  return db.$transaction(async (tx) => {
    const application = await getApplicationOrThrow({ db: tx, organizationId, applicationId });
    const withRoles = application.applicantDiscordId !== null && application.status !== "APPROVED";
    const updated = await transitionApplication({
      tx,
      applicationId,
      organizationId,
      from: application.status,
      to: withRoles ? "REVOKED_PENDING_ROLE_REMOVAL" : "REVOKED",
      expectedVersion: application.version,
      data: {
        revokedAt: new Date(),
        revokedById: actorId,
        revokeReason: options.reason,
        roleAssignmentStatus: withRoles ? "PENDING" : "NOT_APPLICABLE",
        attemptCount: 0,
        retryCount: 0,
        roleErrorCode: null,
        roleErrorMessage: null,
      },
      actor: { userId: actorId },
      action: "application.revoke",
      metadata: { reason: options.reason },
      ip: options.ip,
    });
    if (withRoles) await enqueueRoleRuleJob({ tx, task: REVOKE_ROLES_TASK, applicationId, organizationId });
    // The applicant hears of it with the reason (and the log channel), committed with the revocation.
    await enqueueDecisionMessages({ tx, organizationId, applicationId, event: "revoked" });
    return updated;
  });
}

export type MarkRoleHandledOptions = {
  applicationId: string;
  organizationId: string;
  actorId: string;
  note?: string;
  ip?: string | null;
};

const HANDLED: Partial<Record<ApplicationStatus, ApplicationStatus>> = {
  APPROVED_ROLE_FAILED: "APPROVED_ROLE_ASSIGNED",
  REVOKED_ROLE_REMOVAL_FAILED: "REVOKED",
};

export async function markRoleHandled(options: MarkRoleHandledOptions): Promise<Application> {
  const { applicationId, organizationId, actorId } = options;
  return db.$transaction(async (tx) => {
    const application = await getApplicationOrThrow({ db: tx, organizationId, applicationId });
    const to = HANDLED[application.status];
    if (!to) {
      throw new AppError(
        "illegal_transition",
        `Only a failed role change can be marked handled (this one is ${application.status}).`,
        {
          details: { from: application.status },
        },
      );
    }
    return transitionApplication({
      tx,
      applicationId,
      organizationId,
      from: application.status,
      to,
      expectedVersion: application.version,
      data: {
        roleAssignmentStatus: "SUCCESS",
        roleHandledManuallyAt: new Date(),
        ...(to === "APPROVED_ROLE_ASSIGNED" ? { roleAssignedAt: new Date() } : {}),
      },
      actor: { userId: actorId },
      action: "application.role_marked_handled",
      metadata: {
        previousError: application.roleErrorCode,
        retryCount: application.retryCount,
        ...(options.note ? { note: options.note } : {}),
      },
      ip: options.ip,
    });
  });
}
