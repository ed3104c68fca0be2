// The application routes (issue 6) the dashboard calls; one place, so a route rename is one edit.
import { apiFetch } from "@/components/api/client";
import type { ApplicationStatus } from "@/generated/prisma/enums";
import { toApplicationRow, type ApplicationRow } from "./types";

const base = (slug: string) => `/api/orgs/${encodeURIComponent(slug)}/applications`;

/** The JSON the application routes answer with (src/lib/applications/queries/dto.ts). */
type ApiApplication = {
  id: string;
  applicantName: string;
  applicantDiscordId: string | null;
  status: ApplicationStatus;
  source: "WEB" | "API";
  roleAssignment: {
    errorCode: string | null;
    errorMessage: string | null;
    retryCount: number;
    attemptedAt: string | null;
  };
  rejection: { reason: string | null } | null;
  createdAt: string;
  reviewedAt: string | null;
};

function fromApi(a: ApiApplication): ApplicationRow {
  return toApplicationRow({
    ...a,
    roleErrorCode: a.roleAssignment.errorCode,
    roleErrorMessage: a.roleAssignment.errorMessage,
    retryCount: a.roleAssignment.retryCount,
    roleAttemptedAt: a.roleAssignment.attemptedAt,
    rejectReason: a.rejection?.reason ?? null,
  });
}

export async function fetchApplicationsPage(
  slug: string,
  query: { status?: ApplicationStatus | ""; q?: string; cursor?: string | null; limit: number },
) {
  const params = new URLSearchParams({ limit: String(query.limit) });
  if (query.status) params.set("status", query.status);
  if (query.q) params.set("q", query.q);
  if (query.cursor) params.set("cursor", query.cursor);
  const page = await apiFetch<{ items: ApiApplication[]; nextCursor: string | null }>(`${base(slug)}?${params}`);
  return { items: page.items.map(fromApi), nextCursor: page.nextCursor };
}

export async function reviewApplication(
  slug: string,
  id: string,
  decision: "APPROVED" | "REJECTED",
  reason?: string,
): Promise<ApplicationRow> {
  const action = decision === "APPROVED" ? "approve" : "reject";
  const { application } = await apiFetch<{ application: ApiApplication }>(`${base(slug)}/${id}/${action}`, {
    method: "POST",
    ...(decision === "REJECTED" ? { body: { reason: reason?.trim() || undefined } } : {}),
  });
  return fromApi(application);
}

export async function retryApplication(slug: string, id: string): Promise<ApplicationRow> {
  const { application } = await apiFetch<{ application: ApiApplication }>(`${base(slug)}/${id}/retry`, {
    method: "POST",
  });
  return fromApi(application);
}

export type BulkAction = "approve" | "reject" | "retry";
export type BulkResult =
  { id: string; ok: true; row: ApplicationRow } | { id: string; ok: false; code: string; message: string };

/** One bulk request; the server acts on each application on its own and answers per item. */
export async function bulkReview(
  slug: string,
  action: BulkAction,
  applicationIds: string[],
  reason?: string,
): Promise<BulkResult[]> {
  type Item =
    { id: string; ok: true; application: ApiApplication } | { id: string; ok: false; code: string; message: string };
  const { results } = await apiFetch<{ results: Item[] }>(`${base(slug)}/bulk`, {
    method: "POST",
    body: { action, applicationIds, ...(action === "reject" && reason?.trim() ? { reason: reason.trim() } : {}) },
  });
  return results.map((r) => (r.ok ? { id: r.id, ok: true, row: fromApi(r.application) } : r));
}
