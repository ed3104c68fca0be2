// CSV export of applications with the list's filters (status, search), streamed: rows are read in keyset batches
// only when the client pulls, so memory stays flat however many rows there are. Cells that a spreadsheet would
// run as a formula (starting with = + - @ tab or CR) are prefixed with an apostrophe.
import { stringify } from "csv-stringify/sync";
import { Prisma } from "@/generated/prisma/client";
import type { ApplicationStatus } from "@/generated/prisma/enums";
import { db as defaultDb, type Db } from "@/lib/db";
import type { KeysetPosition } from "@/lib/http/cursor";
import { listQuestions } from "@/lib/questions/questions";
import { applicationFilterSql, type ApplicationFilter } from "@/lib/applications/queries/search-applications";

const BATCH = 500;

type ExportRow = {
  id: string;
  createdAt: Date;
  status: ApplicationStatus;
  applicantName: string;
  applicantDiscordId: string | null;
  source: string;
  roleAssignmentStatus: string;
  roleErrorCode: string | null;
  reviewedAt: Date | null;
  answers: unknown;
};

/** A cell a spreadsheet would evaluate becomes text. */
export function neutralizeFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

function answerValues(answers: unknown): Map<string, string> {
  const values = new Map<string, string>();
  if (Array.isArray(answers)) {
    for (const a of answers as { questionId?: unknown; value?: unknown }[]) {
      if (typeof a?.questionId === "string")
        values.set(a.questionId, Array.isArray(a.value) ? a.value.join("; ") : String(a.value ?? ""));
    }
  }
  return values;
}

export type ExportApplicationsOptions = ApplicationFilter & { db?: Db; batchSize?: number };

/** A byte stream of the CSV (header, then one line per application, newest first). */
export async function exportApplicationsCsv(options: ExportApplicationsOptions): Promise<ReadableStream<Uint8Array>> {
  const client = options.db ?? defaultDb;
  const batchSize = options.batchSize ?? BATCH;
  const questions = await listQuestions({ organizationId: options.organizationId, db: client });
  const header = [
    "id",
    "submitted_at",
    "status",
    "applicant_name",
    "applicant_discord_id",
    "source",
    "role_status",
    "role_error",
    "reviewed_at",
    ...questions.map((q) => q.label),
  ];
  const encoder = new TextEncoder();
  const line = (cells: (string | null)[]) => encoder.encode(stringify([cells.map((c) => neutralizeFormula(c ?? ""))]));
  let after: KeysetPosition | undefined;
  let headerSent = false;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (!headerSent) {
          headerSent = true;
          controller.enqueue(line(header));
          return;
        }
        const rows = await client.$queryRaw<ExportRow[]>(Prisma.sql`
        SELECT "id"::text, "createdAt", "status"::text, "applicantName", "applicantDiscordId", "source"::text,
               "roleAssignmentStatus"::text, "roleErrorCode", "reviewedAt", "answers"
        FROM "Application" WHERE ${applicationFilterSql(options, after)}
        ORDER BY "createdAt" DESC, "id" DESC LIMIT ${batchSize}`);
        if (rows.length === 0) {
          controller.close();
          return;
        }
        const chunk = rows.map((r) => {
          const answers = answerValues(r.answers);
          return [
            r.id,
            r.createdAt.toISOString(),
            r.status,
            r.applicantName,
            r.applicantDiscordId,
            r.source,
            r.roleAssignmentStatus,
            r.roleErrorCode,
            r.reviewedAt?.toISOString() ?? null,
            ...questions.map((q) => answers.get(q.id) ?? ""),
          ].map((c) => neutralizeFormula(c ?? ""));
        });
        controller.enqueue(encoder.encode(stringify(chunk)));
        const last = rows[rows.length - 1]!;
        after = { createdAt: last.createdAt, id: last.id };
        if (rows.length < batchSize) controller.close();
      },
    },
    { highWaterMark: 1 },
  );
}

/** The response headers of a CSV download. */
export function csvHeaders(filename: string): Record<string, string> {
  return {
    "Content-Type": "text/csv; charset=utf-8",
    "Content-Disposition": `attachment; filename="${filename.replace(/[^A-Za-z0-9._-]/g, "_")}"`,
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
  };
}
