// Admin decisions. Each is one transaction: read, one conditional transition, and (for an approval with a Discord
// id, or a retry) the assign-role job, so the job exists exactly when the new state commits.
import type { Application } from "@/generated/prisma/client";
import type { ApplicationStatus } from "@/generated/prisma/enums";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors/app-error";
import { enqueueRoleAssignment } from "./enqueue";
import { getApplicationOrThrow } from "./get-application";
import { transitionApplication } from "./state-machine";

export const MAX_MANUAL_RETRIES = 5;

export type ReviewDecision = "APPROVED" | "REJECTED";

export type UpdateApplicationStatusOptions = {
  applicationId: string;
  organizationId: string;
  status: ReviewDecision;
  reviewerId: string;
  ip?: string | null;
};

export async function updateApplicationStatus(options: UpdateApplicationStatusOptions): Promise<Application> {
  const { applicationId, organizationId, reviewerId } = options;
  return db.$transaction(async (tx) => {
    const application = await getApplicationOrThrow({ db: tx, organizationId, applicationId });
    const withRole = options.status === "APPROVED" && application.applicantDiscordId !== null;
    const to: ApplicationStatus = options.status === "REJECTED" ? "REJECTED" : withRole ? "APPROVED_PENDING_ROLE" : "APPROVED";
    const updated = await transitionApplication({
      tx,
      applicationId,
      organizationId,
      from: application.status,
      to,
      expectedVersion: application.version,
      data: {
        reviewedById: reviewerId,
        reviewedAt: new Date(),
        roleAssignmentStatus: withRole ? "PENDING" : "NOT_APPLICABLE",
        attemptCount: 0,
      },
      actor: { userId: reviewerId },
      action: options.status === "REJECTED" ? "application.reject" : "application.approve",
      ip: options.ip,
    });
    if (withRole) await enqueueRoleAssignment({ tx, applicationId, organizationId });
    return updated;
  });
}

export type RetryRoleAssignmentOptions = {
  applicationId: string;
  organizationId: string;
  actorId: string;
  ip?: string | null;
};

export async function retryRoleAssignment(options: RetryRoleAssignmentOptions): Promise<Application> {
  const { applicationId, organizationId, actorId } = options;
  return db.$transaction(async (tx) => {
    const application = await getApplicationOrThrow({ db: tx, organizationId, applicationId });
    // PENDING -> APPROVED_PENDING_ROLE is legal too, but that is an approval, not a retry.
    if (application.status !== "APPROVED_ROLE_FAILED") {
      throw new AppError("illegal_transition", `Only a failed role assignment can be retried (this one is ${application.status}).`, {
        details: { from: application.status, to: "APPROVED_PENDING_ROLE" },
      });
    }
    if (application.retryCount >= MAX_MANUAL_RETRIES) {
      throw new AppError("retry_limit_reached", `This application was already retried ${MAX_MANUAL_RETRIES} times.`, {
        details: { retryCount: application.retryCount, limit: MAX_MANUAL_RETRIES },
      });
    }
    const updated = await transitionApplication({
      tx,
      applicationId,
      organizationId,
      from: application.status,
      to: "APPROVED_PENDING_ROLE",
      expectedVersion: application.version,
      data: {
        retryCount: { increment: 1 },
        attemptCount: 0,
        roleAssignmentStatus: "PENDING",
        roleErrorCode: null,
        roleErrorMessage: null,
      },
      actor: { userId: actorId },
      action: "application.retry_role",
      metadata: { retry: application.retryCount + 1, previousError: application.roleErrorCode },
      ip: options.ip,
    });
    await enqueueRoleAssignment({ tx, applicationId, organizationId });
    return updated;
  });
}
