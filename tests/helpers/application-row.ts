import type { ApplicationRow } from "@/components/applications/types";

/** A pending web application as the dashboard receives it; `over` sets what a test cares about. */
export function applicationRow(over: Partial<ApplicationRow> = {}): ApplicationRow {
  return {
    id: "a1",
    applicantName: "Ada",
    applicantDiscordId: "80351110224678912",
    status: "PENDING",
    roleErrorCode: null,
    roleErrorMessage: null,
    retryCount: 0,
    source: "WEB",
    createdAt: "2026-01-01T00:00:00.000Z",
    reviewedAt: null,
    rejectReason: null,
    waitingUntil: null,
    ...over,
  };
}
