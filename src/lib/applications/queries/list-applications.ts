// Keyset pagination, newest first: the cursor is the last row's (createdAt, id), so a page costs one index range
// scan however deep it is, and rows inserted meanwhile neither repeat nor go missing. The bound is the row-value
// comparison ("createdAt", id) < (x, y), which PostgreSQL turns into the start of an index range; Prisma can only
// write it as `createdAt < x OR (createdAt = x AND id < y)`, which it cannot, so deep pages read and discarded every
// newer row (issue 18 item 3; bench/keyset.bench.ts measures both).
import { Prisma, type Application } from "@/generated/prisma/client";
import { z } from "zod";
import { ApplicationStatus } from "@/generated/prisma/enums";
import { db as defaultDb, type Db } from "@/lib/db";
import { decodeKeysetCursor, encodeKeysetCursor } from "@/lib/http/cursor";
import { searchApplications } from "@/lib/applications/queries/search-applications";

export const MAX_PAGE_SIZE = 100;

/** The query string of both list routes (dashboard and API): ?status=&cursor=&limit= . */
export const listApplicationsQuery = z.object({
  status: z.enum(ApplicationStatus).optional(),
  /** Search in applicant name, Discord id and answers (search-applications.ts). */
  q: z
    .string()
    .trim()
    .max(200)
    .optional()
    .transform((v) => v || undefined),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(25),
});

export type ListApplicationsOptions = {
  organizationId: string;
  status?: ApplicationStatus;
  q?: string;
  cursor?: string | null;
  limit: number;
  db?: Db;
};

export type ApplicationPage = { items: Application[]; nextCursor: string | null };

/** The cursor for the page after `row` (kept under this name for the benches). */
export const encodeCursor = encodeKeysetCursor;

/** The one statement a page costs: exported so a test can EXPLAIN exactly what runs. */
export function applicationsPageQuery(options: Omit<ListApplicationsOptions, "db">): Prisma.Sql {
  const limit = Math.min(Math.max(1, Math.trunc(options.limit)), MAX_PAGE_SIZE);
  const after = options.cursor ? decodeKeysetCursor(options.cursor) : undefined;
  const conditions = [
    Prisma.sql`"organizationId" = ${options.organizationId}::uuid`,
    ...(options.status ? [Prisma.sql`status = ${options.status}::"ApplicationStatus"`] : []),
    ...(after ? [Prisma.sql`("createdAt", id) < (${after.createdAt}::timestamptz, ${after.id}::uuid)`] : []),
  ];
  // Every column, named as the model names them, so the rows are Applications.
  return Prisma.sql`
    SELECT * FROM "Application" WHERE ${Prisma.join(conditions, " AND ")}
    ORDER BY "createdAt" DESC, id DESC LIMIT ${limit + 1}`;
}

export async function listApplications(options: ListApplicationsOptions): Promise<ApplicationPage> {
  const client = options.db ?? defaultDb;
  const limit = Math.min(Math.max(1, Math.trunc(options.limit)), MAX_PAGE_SIZE);
  if (options.q) return searchApplications({ ...options, q: options.q, limit, db: client });
  const rows = await client.$queryRaw<Application[]>(applicationsPageQuery(options));
  const items = rows.slice(0, limit);
  return { items, nextCursor: rows.length > limit ? encodeCursor(items[items.length - 1]!) : null };
}
