"use client";
import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { useAction } from "@/components/ui/use-action";
import { retryApplication, reviewApplication } from "./api";
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
};

/** One application's Approve / Reject / Retry, with the spinner on the button that was pressed. */
export function ReviewActions({ slug, row, disabled, onUpdated }: ReviewActionsProps) {
  const action = useAction();
  return (
    <RowActions
      row={row}
      disabled={disabled}
      pending={action.pendingKey as RowAction | null}
      onAct={(act) =>
        void action.run(
          async () => {
            const updated =
              act === "retry" ? await retryApplication(slug, row.id) : await reviewApplication(slug, row.id, act);
            onUpdated(updated);
            return updated;
          },
          { key: act, errorTo: "toast", success: DONE[act](row.applicantName) },
        )
      }
    />
  );
}

/** The detail page's actions; after each one (and while the role is being assigned) the server view re-renders. */
export function ApplicationActions({ slug, row }: { slug: string; row: ApplicationRow }) {
  const router = useRouter();
  const settling = isSettling(row.status);
  useEffect(() => {
    if (!settling) return;
    const timer = setInterval(() => router.refresh(), 2000);
    return () => clearInterval(timer);
  }, [settling, router]);
  return <ReviewActions slug={slug} row={row} onUpdated={() => router.refresh()} />;
}
