"use client";
// Reject asks first (issue 14): a confirmation with a reason, optional or required as the organization set it.
// The reason is stored, audited, shown in the dashboard and to the applicant, and put in their message.
import { useState } from "react";
import { ConfirmDialog } from "@/components/ui/dialog";
import { Field, inputClass } from "@/components/ui/field";

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

export function RejectDialog(props: RejectDialogProps) {
  // Mounted per opening, so no reason carries over from the last one.
  return props.open ? <OpenRejectDialog {...props} /> : null;
}

function OpenRejectDialog({ subject, reasonRequired, busy, note, onConfirm, onCancel }: RejectDialogProps) {
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | null>(null);
  return (
    <ConfirmDialog
      open
      title={`Reject ${subject}?`}
      confirmLabel="Reject"
      busy={busy}
      onConfirm={() => {
        if (reasonRequired && !reason.trim()) {
          setError("Say why: this organization asks for a reason with every rejection.");
          return;
        }
        onConfirm(reason.trim());
      }}
      onCancel={onCancel}
    >
      <p>The applicant is told in a direct message and on their applications page{note ? `. ${note}` : "."}</p>
      <Field
        label={reasonRequired ? "Reason" : "Reason (optional)"}
        hint="The applicant reads it. Kept in the audit log."
        error={error}
        limit={{ used: reason.length, max: REJECT_REASON_MAX }}
      >
        {(p) => (
          <textarea
            {...p}
            className={inputClass}
            rows={3}
            value={reason}
            maxLength={REJECT_REASON_MAX}
            required={reasonRequired}
            onChange={(e) => {
              setReason(e.target.value);
              if (error) setError(null);
            }}
          />
        )}
      </Field>
    </ConfirmDialog>
  );
}
