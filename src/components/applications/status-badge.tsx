import type { ApplicationStatus } from "@/generated/prisma/enums";
import { roleFailureText } from "@/components/dashboard/messages";
import { Badge } from "@/components/ui/badge";
import { Spinner } from "@/components/ui/spinner";
import { FailureReason } from "./failure-reason";
import { formatDate } from "./types";

export type StatusBadgeProps = {
  status: ApplicationStatus;
  roleErrorCode?: string | null;
  roleErrorMessage?: string | null;
  /** Unique per row, for the failure reason's id. */
  id: string;
  /** Approved and waiting for the applicant to join (ISO end of the re-checks): a wait, not a failure. */
  waitingUntil?: string | null;
};

/** "Waiting for the applicant to join (role follows automatically until <date>)". */
export function waitingText(until: string): string {
  return `Waiting for the applicant to join (role follows automatically until ${formatDate(until)}).`;
}

export const STATUS_LABEL: Record<ApplicationStatus, string> = {
  PENDING: "Pending",
  REJECTED: "Rejected",
  APPROVED: "Approved",
  APPROVED_PENDING_ROLE: "Approved – Assigning role…",
  APPROVED_ROLE_ASSIGNED: "Approved – Role assigned",
  APPROVED_ROLE_FAILED: "Approved – Role assignment failed",
  REVOKED_PENDING_ROLE_REMOVAL: "Revoked – Removing roles…",
  REVOKED: "Revoked",
  REVOKED_ROLE_REMOVAL_FAILED: "Revoked – Role removal failed",
};

/** One badge per application state; a failed assignment carries its reason, shown on hover and keyboard focus. */
export function StatusBadge({ status, roleErrorCode, roleErrorMessage, id, waitingUntil }: StatusBadgeProps) {
  if (status === "APPROVED_ROLE_FAILED" && waitingUntil) {
    return (
      <FailureReason id={`reason-${id}`} reason={waitingText(waitingUntil)}>
        <Badge tone="info">Approved – Waiting for the applicant to join</Badge>
      </FailureReason>
    );
  }
  switch (status) {
    case "PENDING":
      return <Badge tone="info">{STATUS_LABEL.PENDING}</Badge>;
    case "REJECTED":
      return <Badge tone="neutral">{STATUS_LABEL.REJECTED}</Badge>;
    case "APPROVED":
    case "APPROVED_ROLE_ASSIGNED":
      return <Badge tone="success">{STATUS_LABEL[status]}</Badge>;
    case "REVOKED":
      return <Badge tone="neutral">{STATUS_LABEL.REVOKED}</Badge>;
    case "APPROVED_PENDING_ROLE":
    case "REVOKED_PENDING_ROLE_REMOVAL":
      return (
        <Badge tone="warning">
          <Spinner size="sm" label="" />
          {STATUS_LABEL[status]}
        </Badge>
      );
    case "APPROVED_ROLE_FAILED":
    case "REVOKED_ROLE_REMOVAL_FAILED":
      return (
        <FailureReason id={`reason-${id}`} reason={roleFailureText(roleErrorCode ?? null, roleErrorMessage ?? null)}>
          <Badge tone="danger">{STATUS_LABEL[status]}</Badge>
        </FailureReason>
      );
  }
}
