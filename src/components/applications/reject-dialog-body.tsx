"use client";
// The reject dialog's body, loaded on first open (reject-dialog.tsx).
import { useState } from "react";
import { ConfirmDialog } from "@/components/ui/dialog";
import { Field, inputClass } from "@/components/ui/field";
import { REJECT_REASON_MAX, type RejectDialogProps } from "./reject-dialog";

export default function OpenRejectDialog({
  subject,
  reasonRequired,
  busy,
  note,
  onConfirm,
  onCancel,
}: RejectDialogProps) {
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
