"use client";
import { Button } from "@/components/ui/button";
import { MAX_MANUAL_RETRIES, type ApplicationRow } from "./types";
import styles from "./applications.module.css";

export type RowActionsProps = { row: ApplicationRow; busy: boolean; onAct: (action: "APPROVED" | "REJECTED" | "retry") => void };

/** Approve/Reject for pending applications, Retry (n/5) for failed role assignments, nothing otherwise. */
export function RowActions({ row, busy, onAct }: RowActionsProps) {
  if (row.status === "PENDING") {
    return (
      <div className={styles.rowActions}>
        <Button size="sm" variant="primary" loading={busy} onClick={() => onAct("APPROVED")} aria-label={`Approve ${row.applicantName}`}>
          Approve
        </Button>
        <Button size="sm" disabled={busy} onClick={() => onAct("REJECTED")} aria-label={`Reject ${row.applicantName}`}>
          Reject
        </Button>
      </div>
    );
  }
  if (row.status === "APPROVED_ROLE_FAILED" || row.status === "REVOKED_ROLE_REMOVAL_FAILED") {
    const exhausted = row.retryCount >= MAX_MANUAL_RETRIES;
    return (
      <div className={styles.rowActions}>
        <Button
          size="sm"
          loading={busy}
          disabled={exhausted}
          onClick={() => onAct("retry")}
          title={exhausted ? `All ${MAX_MANUAL_RETRIES} retries are used.` : undefined}
          aria-label={exhausted ? `No retries left for ${row.applicantName}` : `Retry the role for ${row.applicantName}, attempt ${row.retryCount + 1} of ${MAX_MANUAL_RETRIES}`}
        >
          {exhausted ? `Retries used (${MAX_MANUAL_RETRIES}/${MAX_MANUAL_RETRIES})` : `Retry (${row.retryCount + 1}/${MAX_MANUAL_RETRIES})`}
        </Button>
      </div>
    );
  }
  return null;
}
