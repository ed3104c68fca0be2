// Search and filtered scans of applications in raw SQL: the match is on the generated column "searchText"
// (application_search_text(name, Discord id, answers), trigram-indexed; migrations 20261129103000 and
// 20261129114500), which is not in the Prisma schema.
// Newest first with keyset cursors over (createdAt, id), like the plain list.
import { Prisma, type Application } from "@/generated/prisma/client";
import type { ApplicationStatus } from "@/generated/prisma/enums";
import { db as defaultDb, type Db } from "@/lib/db";
import { decodeKeysetCursor, encodeKeysetCursor, type KeysetPosition } from "@/lib/http/cursor";

export type ApplicationFilter = {
  organizationId: string;
  status?: ApplicationStatus;
  /** Matches applicant name, Discord id and answer text, case-insensitively, anywhere in the text. */
  q?: string;
};

/** LIKE's wildcards in the user's text are literal characters. */
function likePattern(q: string): string {
  return `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The WHERE clause shared by search and export (tenant scope first). */
export function applicationFilterSql(filter: ApplicationFilter, after?: KeysetPosition): Prisma.Sql {
  const parts = [Prisma.sql`"organizationId" = ${filter.organizationId}::uuid`];
  if (filter.status) parts.push(Prisma.sql`"status" = ${filter.status}::"ApplicationStatus"`);
  if (filter.q) {
    parts.push(Prisma.sql`"searchText" LIKE ${likePattern(filter.q)}`);
  }
  if (after) parts.push(Prisma.sql`("createdAt", "id") < (${after.createdAt}, ${after.id}::uuid)`);
  return Prisma.join(parts, " AND ");
}

export type SearchApplicationsOptions = ApplicationFilter & {
  q: string;
  cursor?: string | null;
  limit: number;
  db?: Db;
};

export async function searchApplications(
  options: SearchApplicationsOptions,
): Promise<{ items: Application[]; nextCursor: string | null }> {
  const client = options.db ?? defaultDb;
  const after = options.cursor ? decodeKeysetCursor(options.cursor) : undefined;
  const ids = await client.$queryRaw<{ id: string }[]>(Prisma.sql`
    SELECT "id"::text FROM "Application" WHERE ${applicationFilterSql(options, after)}
    ORDER BY "createdAt" DESC, "id" DESC LIMIT ${options.limit + 1}`);
  const pageIds = ids.slice(0, options.limit).map((r) => r.id);
  const rows = pageIds.length
    ? await client.application.findMany({ where: { id: { in: pageIds }, organizationId: options.organizationId } })
    : [];
  const byId = new Map(rows.map((r) => [r.id, r]));
  const items = pageIds.map((id) => byId.get(id)).filter((r): r is Application => r !== undefined);
  return {
    items,
    nextCursor: ids.length > options.limit && items.length ? encodeKeysetCursor(items[items.length - 1]!) : null,
  };
}
