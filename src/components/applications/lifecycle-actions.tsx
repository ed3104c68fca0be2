"use client";
// What is left to do with a decided application besides a retry: revoke an approval (with a reason), reject a
// failed approval, or mark a failed role change as done by hand in Discord. Every state has a next step.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { apiFetch, describeApiError } from "@/components/api/client";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/dialog";
import { Field, inputClass } from "@/components/ui/field";
import { useToast } from "@/components/ui/toast";
import { RejectDialog } from "./reject-dialog";
import type { ApplicationRow } from "./types";
import styles from "./applications.module.css";

type Action = "revoke" | "reject" | "mark-handled";

const REVOCABLE = new Set(["APPROVED", "APPROVED_ROLE_ASSIGNED", "APPROVED_ROLE_FAILED"]);

export function LifecycleActions({
  slug,
  row,
  rejectReasonRequired = false,
}: {
  slug: string;
  row: ApplicationRow;
  rejectReasonRequired?: boolean;
}) {
  const router = useRouter();
  const toast = useToast();
  const [open, setOpen] = useState<Action | null>(null);
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  const failed = row.status === "APPROVED_ROLE_FAILED" || row.status === "REVOKED_ROLE_REMOVAL_FAILED";
  if (!REVOCABLE.has(row.status) && !failed) return null;

  async function run(action: Action, rejectReason?: string) {
    setBusy(true);
    try {
      const url = `/api/orgs/${encodeURIComponent(slug)}/applications/${row.id}/${action}`;
      await apiFetch(url, {
        method: "POST",
        body:
          action === "revoke"
            ? { reason: reason.trim() }
            : action === "reject"
              ? { reason: rejectReason || undefined }
              : {},
      });
      toast.show(
        action === "revoke"
          ? "Revoked: the roles are being removed."
          : action === "reject"
            ? `Rejected ${row.applicantName}.`
            : "Marked as handled by hand.",
        "success",
      );
      setOpen(null);
      router.refresh();
    } catch (e) {
      toast.show(describeApiError(e), "danger");
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className={styles.rowActions}>
      {failed ? (
        <Button size="sm" onClick={() => setOpen("mark-handled")}>
          Mark handled by hand
        </Button>
      ) : null}
      {row.status === "APPROVED_ROLE_FAILED" ? (
        <Button size="sm" onClick={() => setOpen("reject")}>
          Reject
        </Button>
      ) : null}
      {REVOCABLE.has(row.status) ? (
        <Button size="sm" variant="danger" onClick={() => setOpen("revoke")}>
          Revoke
        </Button>
      ) : null}
      <ConfirmDialog
        open={open === "revoke"}
        title={`Revoke ${row.applicantName}'s approval?`}
        confirmLabel="Revoke"
        busy={busy}
        onConfirm={() =>
          reason.trim() ? void run("revoke") : toast.show("Give a reason for the revocation.", "danger")
        }
        onCancel={() => setOpen(null)}
      >
        <p>
          The roles the approval gave are removed from the applicant in Discord (and roles it removed are given back, if
          the form says so).
        </p>
        <Field label="Reason" hint="Kept in the audit log.">
          {(p) => (
            <input
              {...p}
              className={inputClass}
              value={reason}
              maxLength={500}
              onChange={(e) => setReason(e.target.value)}
            />
          )}
        </Field>
      </ConfirmDialog>
      <RejectDialog
        open={open === "reject"}
        subject={row.applicantName}
        reasonRequired={rejectReasonRequired}
        busy={busy}
        note="Any role the failed approval did give is taken off again."
        onConfirm={(r) => void run("reject", r)}
        onCancel={() => setOpen(null)}
      />
      <ConfirmDialog
        open={open === "mark-handled"}
        title="Mark the role change as handled?"
        confirmLabel="Mark handled"
        variant="primary"
        busy={busy}
        onConfirm={() => void run("mark-handled")}
        onCancel={() => setOpen(null)}
      >
        <p>Only if you changed the roles in Discord yourself. This is recorded in the audit log with your name.</p>
      </ConfirmDialog>
    </div>
  );
}
