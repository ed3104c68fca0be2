// The application routes (issue 6) the dashboard calls; one place, so a route rename is one edit.
import { apiFetch } from "@/components/api/client";
import type { ApplicationStatus } from "@/generated/prisma/enums";
import { toApplicationRow, type ApplicationRow } from "./types";

const base = (slug: string) => `/api/orgs/${encodeURIComponent(slug)}/applications`;

type ApiApplication = Parameters<typeof toApplicationRow>[0];

export async function fetchApplicationsPage(slug: string, query: { status?: ApplicationStatus | ""; cursor?: string | null; limit: number }) {
  const params = new URLSearchParams({ limit: String(query.limit) });
  if (query.status) params.set("status", query.status);
  if (query.cursor) params.set("cursor", query.cursor);
  const page = await apiFetch<{ items: ApiApplication[]; nextCursor: string | null }>(`${base(slug)}?${params}`);
  return { items: page.items.map(toApplicationRow), nextCursor: page.nextCursor };
}

export async function reviewApplication(slug: string, id: string, decision: "APPROVED" | "REJECTED"): Promise<ApplicationRow> {
  const { application } = await apiFetch<{ application: ApiApplication }>(`${base(slug)}/${id}`, { method: "PATCH", body: { status: decision } });
  return toApplicationRow(application);
}

export async function retryApplication(slug: string, id: string): Promise<ApplicationRow> {
  const { application } = await apiFetch<{ application: ApiApplication }>(`${base(slug)}/${id}/retry`, { method: "POST", body: {} });
  return toApplicationRow(application);
}
