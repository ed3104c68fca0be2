// Admin decisions. Each is one transaction: read, one conditional transition, and the role job when the new state
// needs one (an approval with a Discord id, a retry, a rejection with roles to change), so the job exists exactly
// when the new state commits. An approval keeps a snapshot of its form's role rule: the job, a revocation and a
// rejection after a failed approval all work from what the approval was decided with.
import { z } from "zod";
import type { Application, Prisma } from "@/generated/prisma/client";
import type { ApplicationStatus } from "@/generated/prisma/enums";
import { db, type Tx } from "@/lib/db";
import { AppError } from "@/lib/errors/app-error";
import { ruleSnapshot } from "@/lib/forms/role-rules";
import { enqueueDecisionMessages } from "@/lib/notifications/enqueue";
import { enqueueRoleAssignment } from "@/lib/applications/role-jobs/enqueue";
import { getApplicationOrThrow } from "@/lib/applications/queries/get-application";
import { snapshotOf } from "@/lib/applications/role-jobs/role-rule-runs";
import { enqueueRoleRuleJob, REJECT_ROLES_TASK, REVOKE_ROLES_TASK } from "@/lib/applications/role-jobs/role-rule-tasks";
import { transitionApplication } from "@/lib/applications/state-machine/state-machine";

export const MAX_MANUAL_RETRIES = 5;

export type ReviewDecision = "APPROVED" | "REJECTED";

/** Where a decision was taken; the audit row says so when it is not the dashboard. */
export type DecisionSource = "dashboard" | "discord";

export type UpdateApplicationStatusOptions = {
  applicationId: string;
  organizationId: string;
  status: ReviewDecision;
  reviewerId: string;
  ip?: string | null;
  /**
   * Why (rejections only; issue 14): stored, audited, shown to the applicant and put in the rejection message. The
   * organization may require one (400 reject_reason_required). Every decision path (dashboard, bulk, API, Discord)
   * passes it here.
   */
  reason?: string | null;
  /** Default "dashboard". Discord's buttons pass "discord" (the reviewer is the member who clicked). */
  source?: DecisionSource;
  /**
   * Decide only from these states (Discord's buttons: PENDING, so a click on an out-of-date message cannot re-approve
   * a failed approval, which would be a retry outside the retry limit). Otherwise `illegal_transition`.
   */
  onlyFrom?: readonly ApplicationStatus[];
};

/** The longest reason stored (Discord's modal text inputs allow 4000; a DM has 2000 for everything). */
export const MAX_REJECT_REASON = 1000;

/** The body of a rejection (optional: a body-less POST rejects without a reason where none is required). */
export const rejectInputSchema = z.strictObject({
  reason: z.string().trim().max(MAX_REJECT_REASON, `Keep the reason under ${MAX_REJECT_REASON} characters.`).optional(),
});
export type RejectInput = z.infer<typeof rejectInputSchema>;

function assertDecidableFrom(options: UpdateApplicationStatusOptions, application: Application): void {
  if (options.onlyFrom && !options.onlyFrom.includes(application.status)) {
    throw new AppError("illegal_transition", `This application is no longer pending (it is ${application.status}).`, {
      details: { from: application.status },
    });
  }
}

/** The audit metadata every decision carries besides from/to (a rejection adds its reason). */
function decisionMetadata(options: UpdateApplicationStatusOptions): Record<string, unknown> {
  return options.source && options.source !== "dashboard" ? { source: options.source } : {};
}

/**
 * The role rule of the application's form (the default form for rows without one; none yet: the approved role),
 * read inside the decision's transaction. Reads only: nothing here may make concurrent decisions queue.
 */
async function formRule(tx: Tx, application: Application) {
  const { organizationId } = application;
  const where = application.formId ? { id: application.formId, organizationId } : { organizationId, isDefault: true };
  const form = await tx.applicationForm.findFirst({ where });
  const connection = await tx.discordConnection.findUnique({
    where: { organizationId },
    select: { guildId: true, approvedRoleId: true },
  });
  const approvedRoleId = connection?.approvedRoleId ?? null;
  return {
    rule: form ? ruleSnapshot(form, approvedRoleId) : snapshotOf(null, approvedRoleId),
    guildId: connection?.guildId ?? null,
    approvedRoleId,
  };
}

export async function updateApplicationStatus(options: UpdateApplicationStatusOptions): Promise<Application> {
  return options.status === "APPROVED" ? approve(options) : reject(options);
}

async function approve(options: UpdateApplicationStatusOptions): Promise<Application> {
  const { applicationId, organizationId, reviewerId } = options;
  return db.$transaction(async (tx) => {
    const application = await getApplicationOrThrow({ db: tx, organizationId, applicationId });
    assertDecidableFrom(options, application);
    const withRole = application.applicantDiscordId !== null;
    const { rule } = await formRule(tx, application);
    const updated = await transitionApplication({
      tx,
      applicationId,
      organizationId,
      from: application.status,
      to: withRole ? "APPROVED_PENDING_ROLE" : "APPROVED",
      expectedVersion: application.version,
      data: {
        reviewedById: reviewerId,
        reviewedAt: new Date(),
        roleAssignmentStatus: withRole ? "PENDING" : "NOT_APPLICABLE",
        attemptCount: 0,
        roleRule: rule as unknown as Prisma.InputJsonValue,
        roleOutcomes: [],
      },
      actor: { userId: reviewerId },
      action: "application.approve",
      metadata: decisionMetadata(options),
      ip: options.ip,
    });
    if (withRole) await enqueueRoleAssignment({ tx, applicationId, organizationId });
    // The DM to the applicant (and the log-channel post) commit with the decision; sending is their own job.
    await enqueueDecisionMessages({ tx, organizationId, applicationId, event: "approved" });
    return updated;
  });
}

/**
 * A rejection: of a pending application, or of an approved one whose role failed (the admin's way out once retries
 * do not help). With roles to change (the form's rejection role, or undoing what a failed approval changed) the
 * reject-roles job does it; the application is REJECTED at once either way.
 */
async function reject(options: UpdateApplicationStatusOptions): Promise<Application> {
  const { applicationId, organizationId, reviewerId } = options;
  const reason = options.reason?.trim() ? options.reason.trim().slice(0, MAX_REJECT_REASON) : null;
  return db.$transaction(async (tx) => {
    if (!reason) {
      const settings = await tx.applicantSettings.findUnique({
        where: { organizationId },
        select: { rejectReasonRequired: true },
      });
      if (settings?.rejectReasonRequired)
        throw new AppError("reject_reason_required", "This organization asks for a reason with every rejection.", {
          details: [{ path: "reason", message: "Say why the application is rejected; the applicant reads it." }],
        });
    }
    const application = await getApplicationOrThrow({ db: tx, organizationId, applicationId });
    assertDecidableFrom(options, application);
    const afterFailure = application.status === "APPROVED_ROLE_FAILED";
    const fresh = await formRule(tx, application);
    // After a failed approval, the approval's own snapshot says what to undo; the rejection role is today's.
    const rule = afterFailure
      ? { ...snapshotOf(application.roleRule, fresh.approvedRoleId), rejectAdd: fresh.rule.rejectAdd, rejectUndo: true }
      : fresh.rule;
    const changesRoles = application.applicantDiscordId !== null && (rule.rejectAdd !== null || afterFailure);
    const updated = await transitionApplication({
      tx,
      applicationId,
      organizationId,
      from: application.status,
      to: "REJECTED",
      expectedVersion: application.version,
      data: {
        reviewedById: reviewerId,
        reviewedAt: new Date(),
        roleAssignmentStatus: changesRoles ? "PENDING" : "NOT_APPLICABLE",
        attemptCount: 0,
        roleErrorCode: null,
        roleErrorMessage: null,
        roleRule: rule as unknown as Prisma.InputJsonValue,
        rejectReason: reason,
      },
      actor: { userId: reviewerId },
      action: "application.reject",
      metadata: {
        ...(afterFailure ? { afterRoleFailure: application.roleErrorCode, retryCount: application.retryCount } : {}),
        ...decisionMetadata(options),
        ...(reason ? { reason } : {}),
      },
      ip: options.ip,
    });
    if (changesRoles) await enqueueRoleRuleJob({ tx, task: REJECT_ROLES_TASK, applicationId, organizationId });
    await enqueueDecisionMessages({ tx, organizationId, applicationId, event: "rejected" });
    return updated;
  });
}

export type RetryRoleAssignmentOptions = {
  applicationId: string;
  organizationId: string;
  actorId: string;
  ip?: string | null;
};

/** States a manual retry applies to, and where it goes. */
const RETRYABLE: Partial<Record<ApplicationStatus, ApplicationStatus>> = {
  APPROVED_ROLE_FAILED: "APPROVED_PENDING_ROLE",
  REVOKED_ROLE_REMOVAL_FAILED: "REVOKED_PENDING_ROLE_REMOVAL",
};

export async function retryRoleAssignment(options: RetryRoleAssignmentOptions): Promise<Application> {
  const { applicationId, organizationId, actorId } = options;
  return db.$transaction(async (tx) => {
    const application = await getApplicationOrThrow({ db: tx, organizationId, applicationId });
    const rejectedRoleFailed = application.status === "REJECTED" && application.roleAssignmentStatus === "FAILED";
    const to = RETRYABLE[application.status];
    // PENDING -> APPROVED_PENDING_ROLE is legal too, but that is an approval, not a retry.
    if (!to && !rejectedRoleFailed) {
      throw new AppError(
        "illegal_transition",
        `Only a failed role change can be retried (this one is ${application.status}).`,
        {
          details: { from: application.status, to: "APPROVED_PENDING_ROLE" },
        },
      );
    }
    if (application.retryCount >= MAX_MANUAL_RETRIES) {
      throw new AppError(
        "retry_limit_reached",
        `This application was already retried ${MAX_MANUAL_RETRIES} times: reject it, revoke it, or mark the role handled by hand.`,
        {
          details: { retryCount: application.retryCount, limit: MAX_MANUAL_RETRIES },
        },
      );
    }
    const data = {
      retryCount: { increment: 1 },
      attemptCount: 0,
      roleAssignmentStatus: "PENDING" as const,
      roleErrorCode: null,
      roleErrorMessage: null,
    };
    const metadata = { retry: application.retryCount + 1, previousError: application.roleErrorCode };
    if (rejectedRoleFailed) {
      // REJECTED is final; only its role job runs again (no transition, same conditional write and audit).
      const { count } = await tx.application.updateMany({
        where: { id: applicationId, organizationId, status: "REJECTED", version: application.version },
        data: { ...data, version: { increment: 1 } },
      });
      if (count !== 1)
        throw new AppError("conflict", "The application was changed by someone else; reload and try again.");
      await tx.auditEvent.create({
        data: {
          organizationId,
          actorUserId: actorId,
          action: "application.retry_role",
          targetType: "application",
          targetId: applicationId,
          outcome: "SUCCESS",
          metadata,
          ip: options.ip ?? null,
        },
      });
      await enqueueRoleRuleJob({ tx, task: REJECT_ROLES_TASK, applicationId, organizationId });
      return tx.application.findUniqueOrThrow({ where: { id: applicationId } });
    }
    const updated = await transitionApplication({
      tx,
      applicationId,
      organizationId,
      from: application.status,
      to: to!,
      expectedVersion: application.version,
      data,
      actor: { userId: actorId },
      action: "application.retry_role",
      metadata,
      ip: options.ip,
    });
    if (to === "REVOKED_PENDING_ROLE_REMOVAL") {
      await enqueueRoleRuleJob({ tx, task: REVOKE_ROLES_TASK, applicationId, organizationId });
    } else {
      await enqueueRoleAssignment({ tx, applicationId, organizationId });
    }
    return updated;
  });
}
