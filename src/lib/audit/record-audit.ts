// Audit events: who did what to which target, with what outcome. Written inside the caller's transaction when one
// is given, so a state change and its audit row commit together; `auditInsertSql` is the same row as a piece of the
// caller's statement (the state machine's single statement), bounded and scrubbed the same way.
import { Prisma } from "@/generated/prisma/client";
import type { AuditOutcome } from "@/generated/prisma/enums";
import { db as defaultDb, type Db, type Tx } from "@/lib/db";

export type AuditActor = { userId?: string | null; apiTokenId?: string | null };

export type RecordAuditOptions = {
  db?: Db | Tx;
  /** From the authorized context; null only for events outside any organization. */
  organizationId: string | null;
  actor?: AuditActor;
  action: string;
  targetType?: string;
  targetId?: string;
  outcome: AuditOutcome;
  metadata?: Record<string, unknown>;
  ip?: string | null;
};

// Metadata is for context (ids, states, error codes). A key that looks like a secret is dropped, not stored.
const SECRET_KEY = /token|secret|password|authorization|cookie|ciphertext|code_verifier/i;

// Every stored field is bounded, so no caller-controlled value (a path, a name, a Discord error) makes a row big.
export const AUDIT_LIMITS = {
  text: 200,
  metadataString: 500,
  metadataKeys: 50,
  metadataArray: 50,
  metadataBytes: 4_096,
} as const;

/** Cuts to `max` characters without leaving half of a surrogate pair, marking the cut. */
export function boundText(value: string, max: number): string {
  if (value.length <= max) return value;
  let cut = value.slice(0, max - 1);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut}…`;
}

function scrub(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return boundText(value, AUDIT_LIMITS.metadataString);
  if (value === null || typeof value !== "object") return value;
  if (depth > 4) return "[nested]";
  if (Array.isArray(value)) return value.slice(0, AUDIT_LIMITS.metadataArray).map((v) => scrub(v, depth + 1));
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .filter(([k]) => !SECRET_KEY.test(k))
      .slice(0, AUDIT_LIMITS.metadataKeys)
      .map(([k, v]) => [boundText(k, AUDIT_LIMITS.text), scrub(v, depth + 1)]),
  );
}

function boundedMetadata(metadata: Record<string, unknown> | undefined): object {
  const scrubbed = (scrub(metadata ?? {}) ?? {}) as object;
  const size = Buffer.byteLength(JSON.stringify(scrubbed), "utf8");
  return size <= AUDIT_LIMITS.metadataBytes ? scrubbed : { truncated: true, originalBytes: size };
}

const bounded = (value: string | null | undefined) => (value == null ? null : boundText(value, AUDIT_LIMITS.text));

export async function recordAudit(options: RecordAuditOptions) {
  const client = options.db ?? defaultDb;
  return client.auditEvent.create({
    data: {
      organizationId: options.organizationId,
      actorUserId: options.actor?.userId ?? null,
      actorApiTokenId: options.actor?.apiTokenId ?? null,
      action: boundText(options.action, AUDIT_LIMITS.text),
      targetType: bounded(options.targetType),
      targetId: bounded(options.targetId),
      outcome: options.outcome,
      metadata: boundedMetadata(options.metadata),
      ip: bounded(options.ip),
    },
  });
}

export type AuditInsertOptions = Omit<RecordAuditOptions, "db" | "organizationId" | "targetId"> & {
  /** A relation of the statement (a CTE's name) with `id` (the target) and `"organizationId"`: one row per target. */
  rows: Prisma.Sql;
};

/** `INSERT INTO "AuditEvent" ... SELECT ... FROM <rows> RETURNING 1`: recordAudit's row for each row of `rows`. */
export function auditInsertSql(options: AuditInsertOptions): Prisma.Sql {
  return Prisma.sql`
    INSERT INTO "AuditEvent" ("organizationId", "actorUserId", "actorApiTokenId", action, "targetType", "targetId",
      outcome, metadata, ip)
    SELECT r."organizationId", ${options.actor?.userId ?? null}::uuid, ${options.actor?.apiTokenId ?? null}::uuid,
      ${boundText(options.action, AUDIT_LIMITS.text)}::text, ${bounded(options.targetType)}::text, r.id::text,
      ${options.outcome}::"AuditOutcome", ${JSON.stringify(boundedMetadata(options.metadata))}::jsonb, ${bounded(options.ip)}::text
    FROM ${options.rows} r
    RETURNING 1`;
}
