// What the dashboard shows of an application: plain JSON, safe to pass from server to client components.
import type { ApplicationStatus } from "@/generated/prisma/enums";
import { failureMessage } from "@/lib/applications/role-jobs/failure-message";
import { memberRecheckUntil } from "@/lib/applications/role-jobs/recheck-window";

export type ApplicationRow = {
  id: string;
  applicantName: string;
  applicantDiscordId: string | null;
  status: ApplicationStatus;
  roleErrorCode: string | null;
  roleErrorMessage: string | null;
  retryCount: number;
  source: "WEB" | "API";
  createdAt: string;
  reviewedAt: string | null;
  /** The reason given with a rejection (issue 14). */
  rejectReason: string | null;
  /**
   * Approved, but the applicant has not joined the server: not a failure but a wait. The member re-check job gives
   * the role when they join, until this time (ISO); null otherwise.
   */
  waitingUntil: string | null;
};

export const MAX_MANUAL_RETRIES = 5;

/** A row as the lib returns it: the same fields, dates still `Date`s. */
type ApplicationLike = Omit<ApplicationRow, "createdAt" | "reviewedAt" | "rejectReason" | "waitingUntil"> & {
  createdAt: Date | string;
  reviewedAt: Date | string | null;
  rejectReason?: string | null;
  /** The last role attempt: member_not_in_guild's re-checks run for a window from it. */
  roleAttemptedAt?: Date | string | null;
};

/** When the member re-checks of a member_not_in_guild approval stop (src/lib/applications/role-jobs/settings.ts). */
export function waitingUntil(a: Pick<ApplicationLike, "status" | "roleErrorCode" | "roleAttemptedAt">): string | null {
  return memberRecheckUntil({ application: a })?.toISOString() ?? null;
}

/** Approved and waiting for the applicant to join: shown as a wait, not as a failure. */
export function isWaitingToJoin(row: Pick<ApplicationRow, "waitingUntil">): boolean {
  return row.waitingUntil !== null;
}

const iso = (d: Date | string) => (typeof d === "string" ? d : d.toISOString());

export function toApplicationRow(a: ApplicationLike): ApplicationRow {
  return {
    id: a.id,
    applicantName: a.applicantName,
    applicantDiscordId: a.applicantDiscordId,
    status: a.status,
    roleErrorCode: a.roleErrorCode,
    // Once no manual retry is left, the message stops advising one (src/lib/applications/role-jobs/failure-message.ts).
    roleErrorMessage: isFailed(a.status)
      ? failureMessage(
          { roleErrorMessage: a.roleErrorMessage, retryCount: a.retryCount, roleAssignmentStatus: "FAILED" },
          MAX_MANUAL_RETRIES,
        )
      : a.roleErrorMessage,
    retryCount: a.retryCount,
    source: a.source,
    createdAt: iso(a.createdAt),
    reviewedAt: a.reviewedAt ? iso(a.reviewedAt) : null,
    rejectReason: a.rejectReason ?? null,
    waitingUntil: waitingUntil(a),
  };
}

/** A role change that failed and waits for an admin (retry, reject, revoke or mark handled). */
export function isFailed(status: ApplicationStatus): boolean {
  return status === "APPROVED_ROLE_FAILED" || status === "REVOKED_ROLE_REMOVAL_FAILED";
}

/** States that change by themselves (the role job): the table polls while one is on screen. */
export function isSettling(status: ApplicationStatus): boolean {
  return status === "APPROVED_PENDING_ROLE" || status === "REVOKED_PENDING_ROLE_REMOVAL";
}

export const STATUS_FILTERS: { value: ApplicationStatus | ""; label: string }[] = [
  { value: "", label: "All" },
  { value: "PENDING", label: "Pending" },
  { value: "APPROVED_PENDING_ROLE", label: "Assigning role" },
  { value: "APPROVED_ROLE_FAILED", label: "Role failed" },
  { value: "APPROVED_ROLE_ASSIGNED", label: "Role assigned" },
  { value: "APPROVED", label: "Approved" },
  { value: "REJECTED", label: "Rejected" },
  { value: "REVOKED", label: "Revoked" },
  { value: "REVOKED_ROLE_REMOVAL_FAILED", label: "Role removal failed" },
];

const dateFormat = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

/** Dates in UTC so server and browser render the same text (no hydration mismatch). */
export function formatDate(iso: string): string {
  return `${dateFormat.format(new Date(iso))} UTC`;
}
