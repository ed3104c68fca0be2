// Keyset pagination, newest first: the cursor is the last row's (createdAt, id), so a page costs one index range
// scan however deep it is, and rows inserted meanwhile neither repeat nor go missing.
import type { Application } from "@/generated/prisma/client";
import type { ApplicationStatus } from "@/generated/prisma/enums";
import { db as defaultDb, type Db } from "@/lib/db";
import { AppError } from "@/lib/errors/app-error";

export const MAX_PAGE_SIZE = 100;

export type ListApplicationsOptions = {
  organizationId: string;
  status?: ApplicationStatus;
  cursor?: string | null;
  limit: number;
  db?: Db;
};

export type ApplicationPage = { items: Application[]; nextCursor: string | null };

export function encodeCursor(row: Pick<Application, "createdAt" | "id">): string {
  return Buffer.from(`${row.createdAt.toISOString()}|${row.id}`).toString("base64url");
}

export function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  const [iso, id] = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  const createdAt = new Date(iso ?? "");
  if (!id || !/^[0-9a-f-]{36}$/i.test(id) || Number.isNaN(createdAt.getTime())) {
    throw new AppError("bad_request", "The cursor is not valid; start again from the first page.");
  }
  return { createdAt, id };
}

export async function listApplications(options: ListApplicationsOptions): Promise<ApplicationPage> {
  const client = options.db ?? defaultDb;
  const limit = Math.min(Math.max(1, Math.trunc(options.limit)), MAX_PAGE_SIZE);
  const after = options.cursor ? decodeCursor(options.cursor) : undefined;
  const rows = await client.application.findMany({
    where: {
      organizationId: options.organizationId,
      ...(options.status ? { status: options.status } : {}),
      ...(after
        ? { OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }] }
        : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit + 1,
  });
  const items = rows.slice(0, limit);
  return { items, nextCursor: rows.length > limit ? encodeCursor(items[items.length - 1]!) : null };
}
