"use client";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { useAction } from "@/components/ui/use-action";
import { retryApplication, reviewApplication } from "./api";
import { RejectDialog } from "./reject-dialog";
import { RowActions, type RowAction } from "./row-actions";
import { isSettling, type ApplicationRow } from "./types";

const DONE: Record<RowAction, (name: string) => string> = {
  APPROVED: (name) => `Approved ${name}.`,
  REJECTED: (name) => `Rejected ${name}.`,
  retry: (name) => `Retrying the role for ${name}.`,
};

export type ReviewActionsProps = {
  slug: string;
  row: ApplicationRow;
  disabled?: boolean;
  onUpdated: (row: ApplicationRow) => void;
  /** The organization asks for a reason with every rejection. */
  rejectReasonRequired?: boolean;
};

/** One application's Approve / Reject / Retry, with the spinner on the button that was pressed. */
export function ReviewActions({ slug, row, disabled, onUpdated, rejectReasonRequired = false }: ReviewActionsProps) {
  const action = useAction();
  const [rejecting, setRejecting] = useState(false);
  const act = (act: RowAction, reason?: string) =>
    action.run(
      async () => {
        const updated =
          act === "retry" ? await retryApplication(slug, row.id) : await reviewApplication(slug, row.id, act, reason);
        onUpdated(updated);
        return updated;
      },
      { key: act, errorTo: "toast", success: DONE[act](row.applicantName) },
    );
  return (
    <>
      <RowActions
        row={row}
        disabled={disabled}
        pending={action.pendingKey as RowAction | null}
        // Reject asks first, with a reason; approve and retry act at once.
        onAct={(a) => (a === "REJECTED" ? setRejecting(true) : void act(a))}
      />
      <RejectDialog
        open={rejecting}
        subject={row.applicantName}
        reasonRequired={rejectReasonRequired}
        busy={action.pendingKey === "REJECTED"}
        onCancel={() => setRejecting(false)}
        onConfirm={(reason) => {
          // Closed once it went through; a refusal (a toast) leaves the reason to correct.
          void act("REJECTED", reason).then((done) => done && setRejecting(false));
        }}
      />
    </>
  );
}

/** The detail page's actions; after each one (and while the role is being assigned) the server view re-renders. */
export function ApplicationActions({
  slug,
  row,
  rejectReasonRequired,
}: {
  slug: string;
  row: ApplicationRow;
  rejectReasonRequired?: boolean;
}) {
  const router = useRouter();
  const settling = isSettling(row.status);
  useEffect(() => {
    if (!settling) return;
    const timer = setInterval(() => router.refresh(), 2000);
    return () => clearInterval(timer);
  }, [settling, router]);
  return (
    <ReviewActions
      slug={slug}
      row={row}
      rejectReasonRequired={rejectReasonRequired}
      onUpdated={() => router.refresh()}
    />
  );
}
