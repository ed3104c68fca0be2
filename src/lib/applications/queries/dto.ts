// What API responses show of an application (no idempotency key, no internal counters beyond what admins act on).
import type { Application } from "@/generated/prisma/client";
import { failureMessage } from "@/lib/applications/role-jobs/failure-message";
import { MAX_MANUAL_RETRIES } from "@/lib/applications/decisions/review";

export type ApplicationDto = ReturnType<typeof toApplicationDto>;

export function toApplicationDto(application: Application) {
  return {
    id: application.id,
    applicantDiscordId: application.applicantDiscordId,
    applicantName: application.applicantName,
    answers: application.answers,
    source: application.source,
    formId: application.formId,
    status: application.status,
    roleAssignment: {
      status: application.roleAssignmentStatus,
      errorCode: application.roleErrorCode,
      errorMessage: failureMessage(application, MAX_MANUAL_RETRIES),
      /** Per role of the last role job: { roleId, roleName, action, result, code?, message? }. */
      roles: application.roleOutcomes,
      handledManuallyAt: application.roleHandledManuallyAt?.toISOString() ?? null,
      attemptedAt: application.roleAttemptedAt?.toISOString() ?? null,
      assignedAt: application.roleAssignedAt?.toISOString() ?? null,
      attempts: application.attemptCount,
      retryCount: application.retryCount,
      retriesLeft: Math.max(0, MAX_MANUAL_RETRIES - application.retryCount),
    },
    revocation: application.revokedAt
      ? {
          revokedAt: application.revokedAt.toISOString(),
          revokedById: application.revokedById,
          reason: application.revokeReason,
        }
      : null,
    rejection: application.status === "REJECTED" ? { reason: application.rejectReason } : null,
    reviewedById: application.reviewedById,
    reviewedAt: application.reviewedAt?.toISOString() ?? null,
    createdAt: application.createdAt.toISOString(),
    updatedAt: application.updatedAt.toISOString(),
    version: application.version,
  };
}

/** The public page shows the applicant only their status, never reviewers or error internals. */
export function toApplicantView(application: Application) {
  return {
    id: application.id,
    status: application.status,
    createdAt: application.createdAt.toISOString(),
  };
}
