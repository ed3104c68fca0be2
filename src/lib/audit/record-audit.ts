// Audit events: who did what to which target, with what outcome. Written inside the caller's transaction when one
// is given, so a state change and its audit row commit together.
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

function scrub(value: unknown, depth = 0): unknown {
  if (depth > 4 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1));
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .filter(([k]) => !SECRET_KEY.test(k))
      .map(([k, v]) => [k, scrub(v, depth + 1)]),
  );
}

export async function recordAudit(options: RecordAuditOptions) {
  const client = options.db ?? defaultDb;
  return client.auditEvent.create({
    data: {
      organizationId: options.organizationId,
      actorUserId: options.actor?.userId ?? null,
      actorApiTokenId: options.actor?.apiTokenId ?? null,
      action: options.action,
      targetType: options.targetType ?? null,
      targetId: options.targetId ?? null,
      outcome: options.outcome,
      metadata: (scrub(options.metadata ?? {}) ?? {}) as object,
      ip: options.ip ?? null,
    },
  });
}
