"use client";
import { Button } from "@/components/ui/button";
import { MAX_MANUAL_RETRIES, type ApplicationRow } from "./types";
import styles from "./applications.module.css";

export type RowAction = "APPROVED" | "REJECTED" | "retry";

export type RowActionsProps = {
  row: ApplicationRow;
  /** The action in flight for this row: its button shows the spinner, the others are disabled. */
  pending: RowAction | null;
  /** Disabled without a spinner (e.g. while a bulk approval runs). */
  disabled?: boolean;
  onAct: (action: RowAction) => void;
};

/** Approve/Reject for pending applications, Retry (n/5) for failed role assignments, nothing otherwise. */
export function RowActions({ row, pending, disabled = false, onAct }: RowActionsProps) {
  const locked = disabled || pending !== null;
  if (row.status === "PENDING") {
    return (
      <div className={styles.rowActions}>
        <Button
          size="sm"
          variant="primary"
          loading={pending === "APPROVED"}
          disabled={locked}
          onClick={() => onAct("APPROVED")}
          aria-label={`Approve ${row.applicantName}`}
        >
          Approve
        </Button>
        <Button
          size="sm"
          loading={pending === "REJECTED"}
          disabled={locked}
          onClick={() => onAct("REJECTED")}
          aria-label={`Reject ${row.applicantName}`}
        >
          Reject
        </Button>
      </div>
    );
  }
  if (row.status === "APPROVED_ROLE_FAILED" || row.status === "REVOKED_ROLE_REMOVAL_FAILED") {
    const exhausted = row.retryCount >= MAX_MANUAL_RETRIES;
    // The accessible name starts with the visible text (WCAG 2.5.3: people who see "Retry (1/5)" can say it).
    const visible = exhausted
      ? `Retries used (${MAX_MANUAL_RETRIES}/${MAX_MANUAL_RETRIES})`
      : `Retry (${row.retryCount + 1}/${MAX_MANUAL_RETRIES})`;
    return (
      <div className={styles.rowActions}>
        <Button
          size="sm"
          loading={pending === "retry"}
          disabled={exhausted || locked}
          onClick={() => onAct("retry")}
          aria-label={
            exhausted
              ? `${visible}: no retries left for ${row.applicantName}`
              : `${visible}: give ${row.applicantName} the role again, attempt ${row.retryCount + 1} of ${MAX_MANUAL_RETRIES}`
          }
        >
          {visible}
        </Button>
      </div>
    );
  }
  return null;
}
