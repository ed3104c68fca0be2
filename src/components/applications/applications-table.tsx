"use client";
// Length (past ~300 lines): rows, selection, bulk actions and live updates share one list state.
import Link from "next/link";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { ApplicationStatus } from "@/generated/prisma/enums";
import { describeApiError } from "@/components/api/client";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { Table } from "@/components/ui/table";
import { useToast } from "@/components/ui/toast";
import { bulkReview, fetchApplicationsPage, reviewApplication, type BulkAction } from "./api";
import { ReviewActions } from "./application-actions";
import { RejectDialog } from "./reject-dialog";
import { StatusBadge } from "./status-badge";
import { formatDate, isFailed, isSettling, type ApplicationRow } from "./types";
import styles from "./applications.module.css";
import { toggled } from "@/components/ui/toggled";

export type ApplicationsTableProps = {
  slug: string;
  initialItems: ApplicationRow[];
  status: ApplicationStatus | "";
  /** The search the page shows (polling keeps to it). */
  q?: string;
  cursor: string | null;
  limit: number;
  canReview: boolean;
  /** The organization asks for a reason with every rejection (Settings → Applicants). */
  rejectReasonRequired?: boolean;
  /** Poll interval while a row is assigning its role; a slower one otherwise (new applications). */
  fastPollMs?: number;
  slowPollMs?: number;
};

const BULK_CONCURRENCY = 4;

/** The applications table: review actions, bulk approve with progress, and rows that update without a reload. */
export function ApplicationsTable({
  slug,
  initialItems,
  status,
  q = "",
  cursor,
  limit,
  canReview,
  rejectReasonRequired = false,
  fastPollMs = 2000,
  slowPollMs = 15000,
}: ApplicationsTableProps) {
  const toast = useToast();
  const [rows, setRows] = useState(initialItems);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [bulk, setBulk] = useState<{ done: number; total: number; failed: number } | null>(null);
  const [confirmBulk, setConfirmBulk] = useState(false);
  const [confirmBulkReject, setConfirmBulkReject] = useState(false);

  // A new server render (filter or page change) replaces the rows: adjusted during render, as React recommends
  // for state derived from a changed prop, instead of an effect that renders twice.
  const [shownItems, setShownItems] = useState(initialItems);
  if (shownItems !== initialItems) {
    setShownItems(initialItems);
    setRows(initialItems);
    setSelected(new Set());
  }

  const replace = useCallback(
    (row: ApplicationRow) => setRows((all) => all.map((r) => (r.id === row.id ? row : r))),
    [],
  );

  const settling = rows.some((r) => isSettling(r.status));
  const inFlight = useRef(false);
  useEffect(() => {
    const interval = settling ? fastPollMs : slowPollMs;
    const timer = setInterval(async () => {
      if (inFlight.current || (typeof document !== "undefined" && document.visibilityState === "hidden")) return;
      inFlight.current = true;
      try {
        const page = await fetchApplicationsPage(slug, { status, q, cursor, limit });
        setRows((current) => mergePage(current, page.items, cursor === null));
      } catch {
        // A failed poll is retried at the next tick; the rows on screen stay as they are.
      } finally {
        inFlight.current = false;
      }
    }, interval);
    return () => clearInterval(timer);
  }, [settling, slug, status, q, cursor, limit, fastPollMs, slowPollMs]);

  const pendingIds = useMemo(() => rows.filter((r) => r.status === "PENDING").map((r) => r.id), [rows]);
  const selectedPending = pendingIds.filter((id) => selected.has(id));
  // Failed role changes are selectable too: reject or retry them together.
  const selectableIds = useMemo(
    () => rows.filter((r) => r.status === "PENDING" || isFailed(r.status)).map((r) => r.id),
    [rows],
  );
  const selectedFailed = rows.filter((r) => selected.has(r.id) && isFailed(r.status)).map((r) => r.id);
  const selectedRejectable = rows
    .filter((r) => selected.has(r.id) && (r.status === "PENDING" || r.status === "APPROVED_ROLE_FAILED"))
    .map((r) => r.id);
  const allSelected = selectableIds.length > 0 && selectableIds.every((id) => selected.has(id));

  /** Reject or retry the selection in one request; the toast reports each item that did not go through. */
  async function bulkSelected(action: Exclude<BulkAction, "approve">, ids: string[], reason?: string) {
    setConfirmBulkReject(false);
    setBulk({ done: 0, total: ids.length, failed: 0 });
    try {
      const results = await bulkReview(slug, action, ids, reason);
      for (const r of results) if (r.ok) replace(r.row);
      const failed = results.filter((r) => !r.ok);
      const verb = action === "reject" ? "Rejected" : "Retrying";
      const names = (id: string) => rows.find((r) => r.id === id)?.applicantName ?? id;
      toast.show(
        failed.length
          ? `${verb} ${results.length - failed.length} of ${results.length}. ${failed.map((f) => `${names(f.id)}: ${f.ok ? "" : f.message}`).join(" ")}`
          : `${verb} ${results.length} application${results.length === 1 ? "" : "s"}.`,
        failed.length ? "danger" : "success",
      );
      setSelected(new Set());
    } catch (error) {
      toast.show(describeApiError(error), "danger");
    } finally {
      setBulk(null);
    }
  }

  async function approveSelected() {
    setConfirmBulk(false);
    const queue = rows.filter((r) => selected.has(r.id) && r.status === "PENDING");
    const progress = { done: 0, total: queue.length, failed: 0 };
    setBulk({ ...progress });
    const worker = async () => {
      for (let row = queue.shift(); row; row = queue.shift()) {
        try {
          replace(await reviewApplication(slug, row.id, "APPROVED"));
        } catch {
          progress.failed++;
        }
        progress.done++;
        setBulk({ ...progress });
      }
    };
    await Promise.all(Array.from({ length: Math.min(BULK_CONCURRENCY, queue.length) }, worker));
    setSelected(new Set());
    toast.show(
      progress.failed
        ? `Approved ${progress.total - progress.failed} of ${progress.total}; ${progress.failed} changed meanwhile or failed.`
        : `Approved ${progress.total} applications.`,
      progress.failed ? "danger" : "success",
    );
    setBulk(null);
  }

  if (rows.length === 0) {
    return (
      <EmptyState title={status ? "No applications with this status" : "No applications yet"}>
        <p>
          {status
            ? "Try another filter."
            : "Share your application page; new applications appear here without a reload."}
        </p>
      </EmptyState>
    );
  }

  return (
    <div className={styles.stack}>
      {canReview && selectableIds.length > 0 ? (
        <div className={styles.bulkBar} aria-live="polite">
          {bulk ? (
            <div className={styles.progress}>
              <span>
                Approving {bulk.done} of {bulk.total}…
              </span>
              <progress max={bulk.total} value={bulk.done} aria-label="Bulk approval progress" />
            </div>
          ) : (
            <>
              {/* Here, not in the table head: on a phone the head is hidden and the rows are cards. */}
              <label className={styles.selectAll}>
                <input
                  type="checkbox"
                  checked={allSelected}
                  disabled={selectableIds.length === 0 || bulk !== null}
                  onChange={(e) => setSelected(e.target.checked ? new Set(selectableIds) : new Set())}
                />
                <span>Select all pending and failed</span>
              </label>
              <span className={styles.muted}>
                {selected.size
                  ? `${selected.size} selected`
                  : "or pick rows, to approve, reject or retry them together."}
              </span>
              <Button
                variant="primary"
                size="sm"
                disabled={selectedPending.length === 0}
                onClick={() => setConfirmBulk(true)}
              >
                Approve selected{selectedPending.length ? ` (${selectedPending.length})` : ""}
              </Button>
              <Button size="sm" disabled={selectedRejectable.length === 0} onClick={() => setConfirmBulkReject(true)}>
                Reject selected{selectedRejectable.length ? ` (${selectedRejectable.length})` : ""}
              </Button>
              <Button
                size="sm"
                disabled={selectedFailed.length === 0}
                onClick={() => void bulkSelected("retry", selectedFailed)}
              >
                Retry selected{selectedFailed.length ? ` (${selectedFailed.length})` : ""}
              </Button>
            </>
          )}
        </div>
      ) : null}
      <Table caption="Applications" captionHidden cards>
        <thead>
          <tr>
            {canReview ? (
              <th scope="col" className={styles.checkCol}>
                <span className="visually-hidden">Select</span>
              </th>
            ) : null}
            <th scope="col">Applicant</th>
            <th scope="col">Status</th>
            <th scope="col">Submitted</th>
            {canReview ? (
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id} data-application-id={row.id} data-status={row.status}>
              {canReview ? (
                <td className={styles.checkCol}>
                  {row.status === "PENDING" || isFailed(row.status) ? (
                    <input
                      type="checkbox"
                      aria-label={`Select ${row.applicantName}`}
                      checked={selected.has(row.id)}
                      disabled={bulk !== null}
                      onChange={(e) => setSelected((all) => toggled(all, row.id, e.target.checked))}
                    />
                  ) : null}
                </td>
              ) : null}
              <td className={styles.applicantCell}>
                <Link href={`/dashboard/${slug}/applications/${row.id}`} className={styles.applicant}>
                  {row.applicantName}
                </Link>
                <div className={styles.sub}>
                  {row.applicantDiscordId ? (
                    <>
                      Discord <span className={styles.nowrap}>{row.applicantDiscordId}</span>
                    </>
                  ) : row.source === "API" ? (
                    "Submitted by API"
                  ) : (
                    "No Discord account"
                  )}
                </div>
              </td>
              <td data-label="Status">
                <StatusBadge
                  id={row.id}
                  status={row.status}
                  roleErrorCode={row.roleErrorCode}
                  roleErrorMessage={row.roleErrorMessage}
                  waitingUntil={row.waitingUntil}
                />
              </td>
              <td data-label="Submitted" className={styles.date}>
                <time dateTime={row.createdAt} title={row.createdAt}>
                  {formatDate(row.createdAt)}
                </time>
              </td>
              {canReview ? (
                <td className={styles.actionsCol}>
                  <ReviewActions
                    slug={slug}
                    row={row}
                    disabled={bulk !== null}
                    onUpdated={replace}
                    rejectReasonRequired={rejectReasonRequired}
                  />
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </Table>
      <ConfirmDialog
        open={confirmBulk}
        title={`Approve ${selectedPending.length} applications?`}
        confirmLabel="Approve all"
        variant="primary"
        onConfirm={() => void approveSelected()}
        onCancel={() => setConfirmBulk(false)}
      >
        <p>Each approved applicant with a Discord account is given the approved role by your bot.</p>
      </ConfirmDialog>
      <RejectDialog
        open={confirmBulkReject}
        subject={`${selectedRejectable.length} application${selectedRejectable.length === 1 ? "" : "s"}`}
        reasonRequired={rejectReasonRequired}
        note="The same reason goes to each of them."
        onConfirm={(reason) => void bulkSelected("reject", selectedRejectable, reason)}
        onCancel={() => setConfirmBulkReject(false)}
      />
    </div>
  );
}

/** Rows on screen take the server's newer state; on the first page, new applications appear at the top. */
export function mergePage(current: ApplicationRow[], fresh: ApplicationRow[], firstPage: boolean): ApplicationRow[] {
  const byId = new Map(fresh.map((r) => [r.id, r]));
  const updated = current.map((r) => byId.get(r.id) ?? r);
  if (!firstPage) return updated;
  const known = new Set(current.map((r) => r.id));
  const added = fresh.filter((r) => !known.has(r.id));
  return added.length ? [...added, ...updated] : updated;
}
