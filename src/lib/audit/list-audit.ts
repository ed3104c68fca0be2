// Reading the audit log: filtered, newest first, keyset-paginated on (createdAt, id) so a deep page costs the
// same index range scan as the first one: the page's ids come from a row-value comparison ("createdAt", id) < (x, y)
// (Prisma cannot write one; its OR form makes PostgreSQL read and discard every newer row), then the rows with their
// actors by primary key. The organization id always comes from the authorized context.
import { z } from "zod";
import type { AuditOutcome } from "@/generated/prisma/enums";
import { Prisma } from "@/generated/prisma/client";
import { db as defaultDb, type Db } from "@/lib/db";
import { decodeKeysetCursor, encodeKeysetCursor } from "@/lib/http/cursor";
import { isUuid, queryDate, queryText } from "@/lib/http/input";

export const AUDIT_MAX_PAGE_SIZE = 100;

/** `user:<uuid>` or `token:<uuid>`: who acted. */
export type AuditActorFilter = { kind: "user" | "token"; id: string };

export type ListAuditOptions = {
  organizationId: string;
  action?: string;
  actor?: AuditActorFilter;
  outcome?: AuditOutcome;
  from?: Date;
  to?: Date;
  cursor?: string | null;
  limit: number;
  db?: Db;
};

export type AuditEntry = {
  id: string;
  action: string;
  outcome: AuditOutcome;
  targetType: string | null;
  targetId: string | null;
  metadata: Record<string, unknown>;
  ip: string | null;
  createdAt: Date;
  actor:
    | { kind: "user"; id: string; name: string }
    | { kind: "token"; id: string; name: string; prefix: string }
    | { kind: "system" };
};

export type AuditPage = { items: AuditEntry[]; nextCursor: string | null };

export function parseAuditActor(value: string): AuditActorFilter | null {
  const match = /^(user|token):(.+)$/.exec(value);
  return match && isUuid(match[2]) ? { kind: match[1] as "user" | "token", id: match[2]! } : null;
}

const SELECT = {
  id: true,
  action: true,
  outcome: true,
  targetType: true,
  targetId: true,
  metadata: true,
  ip: true,
  createdAt: true,
  actorUser: { select: { id: true, name: true } },
  actorApiToken: { select: { id: true, name: true, prefix: true } },
} satisfies Prisma.AuditEventSelect;

type Row = Prisma.AuditEventGetPayload<{ select: typeof SELECT }>;

function toEntry(row: Row): AuditEntry {
  const { actorUser, actorApiToken, metadata, ...rest } = row;
  const actor: AuditEntry["actor"] = actorUser
    ? { kind: "user", id: actorUser.id, name: actorUser.name }
    : actorApiToken
      ? { kind: "token", id: actorApiToken.id, name: actorApiToken.name, prefix: actorApiToken.prefix }
      : { kind: "system" };
  const meta =
    metadata && typeof metadata === "object" && !Array.isArray(metadata) ? (metadata as Record<string, unknown>) : {};
  return { ...rest, metadata: meta, actor };
}

/** The statement that picks a page's ids: exported so a test can EXPLAIN exactly what runs. */
export function auditPageQuery(options: Omit<ListAuditOptions, "db">): Prisma.Sql {
  const limit = Math.min(Math.max(1, Math.trunc(options.limit)), AUDIT_MAX_PAGE_SIZE);
  const after = options.cursor ? decodeKeysetCursor(options.cursor) : undefined;
  const conditions = [
    Prisma.sql`"organizationId" = ${options.organizationId}::uuid`,
    ...(options.action ? [Prisma.sql`action = ${options.action}`] : []),
    ...(options.outcome ? [Prisma.sql`outcome = ${options.outcome}::"AuditOutcome"`] : []),
    ...(options.actor?.kind === "user" ? [Prisma.sql`"actorUserId" = ${options.actor.id}::uuid`] : []),
    ...(options.actor?.kind === "token" ? [Prisma.sql`"actorApiTokenId" = ${options.actor.id}::uuid`] : []),
    ...(options.from ? [Prisma.sql`"createdAt" >= ${options.from}::timestamptz`] : []),
    ...(options.to ? [Prisma.sql`"createdAt" < ${options.to}::timestamptz`] : []),
    ...(after ? [Prisma.sql`("createdAt", id) < (${after.createdAt}::timestamptz, ${after.id}::uuid)`] : []),
  ];
  return Prisma.sql`
    SELECT id::text AS id FROM "AuditEvent" WHERE ${Prisma.join(conditions, " AND ")}
    ORDER BY "createdAt" DESC, id DESC LIMIT ${limit + 1}`;
}

export async function listAudit(options: ListAuditOptions): Promise<AuditPage> {
  const client = options.db ?? defaultDb;
  const limit = Math.min(Math.max(1, Math.trunc(options.limit)), AUDIT_MAX_PAGE_SIZE);
  const page = await client.$queryRaw<{ id: string }[]>(auditPageQuery(options));
  const ids = page.map((r) => r.id);
  const found = ids.length
    ? await client.auditEvent.findMany({
        where: { id: { in: ids }, organizationId: options.organizationId },
        select: SELECT,
      })
    : [];
  const byId = new Map(found.map((r) => [r.id, r]));
  const rows = ids.map((id) => byId.get(id)).filter((r): r is Row => r !== undefined);
  const items = rows.slice(0, limit).map(toEntry);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeKeysetCursor(last) : null };
}

export type ListAuditForTargetOptions = {
  organizationId: string;
  targetType: string;
  targetId: string;
  limit?: number;
  db?: Db;
};

/** The history of one thing (an application's transitions), oldest first, for a timeline. */
export async function listAuditForTarget(options: ListAuditForTargetOptions): Promise<AuditEntry[]> {
  const client = options.db ?? defaultDb;
  const rows = await client.auditEvent.findMany({
    where: { organizationId: options.organizationId, targetType: options.targetType, targetId: options.targetId },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    take: options.limit ?? 200,
    select: SELECT,
  });
  return rows.map(toEntry);
}

export type AuditFacets = { actions: string[]; actors: AuditEntry["actor"][] };

/** The values the filters offer: actions that occur in this organization's log, and its members and tokens. */
export async function listAuditFacets({
  organizationId,
  db = defaultDb,
}: {
  organizationId: string;
  db?: Db;
}): Promise<AuditFacets> {
  const [actions, members, tokens] = await Promise.all([
    // GROUP BY in SQL (Prisma's `distinct` would fetch every row and dedupe in memory).
    db.auditEvent.groupBy({ by: ["action"], where: { organizationId }, orderBy: { action: "asc" }, take: 200 }),
    db.membership.findMany({
      where: { organizationId },
      select: { user: { select: { id: true, name: true } } },
      take: 500,
    }),
    db.apiToken.findMany({ where: { organizationId }, select: { id: true, name: true, prefix: true }, take: 500 }),
  ]);
  return {
    actions: actions.map((a) => a.action),
    actors: [
      ...members.map((m) => ({ kind: "user" as const, id: m.user.id, name: m.user.name })),
      ...tokens.map((t) => ({ kind: "token" as const, id: t.id, name: t.name, prefix: t.prefix })),
    ],
  };
}

const auditQuerySchema = z.object({
  action: queryText(100).trim().min(1).optional(),
  actor: z
    .string()
    .max(100)
    .optional()
    .transform((v, ctx) => {
      if (!v) return undefined;
      const actor = parseAuditActor(v);
      if (!actor) ctx.addIssue({ code: "custom", message: "actor must be user:<id> or token:<id>" });
      return actor ?? undefined;
    }),
  outcome: z.enum(["SUCCESS", "DENIED", "FAILED"]).optional(),
  from: queryDate.optional(),
  to: queryDate.optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(AUDIT_MAX_PAGE_SIZE).default(50),
});

export type AuditQuery = Omit<ListAuditOptions, "organizationId" | "db">;

/** Query-string filters (from a URL or a page's searchParams) to listAudit options; empty values mean "any". */
export function parseAuditQuery(params: URLSearchParams | Record<string, string | string[] | undefined>): AuditQuery {
  const get = (key: string) => {
    const raw = params instanceof URLSearchParams ? params.get(key) : params[key];
    const value = Array.isArray(raw) ? raw[0] : raw;
    return value === "" || value === null ? undefined : value;
  };
  const query = auditQuerySchema.parse(
    Object.fromEntries(["action", "actor", "outcome", "from", "to", "cursor", "limit"].map((k) => [k, get(k)])),
  );
  // Decoded here (400 bad_request), so a page given ?cursor=zzz treats it like any bad filter instead of failing
  // later inside listAudit.
  if (query.cursor) decodeKeysetCursor(query.cursor);
  return query;
}
