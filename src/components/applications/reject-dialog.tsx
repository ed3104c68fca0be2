"use client";
// Reject asks first (issue 14): a confirmation with a reason, optional or required as the organization set it.
// The reason is stored, audited, shown in the dashboard and to the applicant, and put in their message. The dialog
// itself loads on first open (most visits to the list never reject; the page's JavaScript has a budget).
import { lazy, Suspense } from "react";

export const REJECT_REASON_MAX = 1000;

export type RejectDialogProps = {
  open: boolean;
  /** "Ada", or "3 applications". */
  subject: string;
  reasonRequired: boolean;
  busy?: boolean;
  /** What happens besides the rejection (roles taken off...), when there is something to say. */
  note?: string;
  onConfirm: (reason: string) => void;
  onCancel: () => void;
};

const OpenRejectDialog = lazy(() => import("./reject-dialog-body"));

export function RejectDialog(props: RejectDialogProps) {
  // Mounted per opening, so no reason carries over from the last one.
  return props.open ? (
    <Suspense fallback={null}>
      <OpenRejectDialog {...props} />
    </Suspense>
  ) : null;
}
