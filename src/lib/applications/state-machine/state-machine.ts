// The one transition table for an application's lifecycle, and the one place that writes a transition. Every change
// of status goes through `applyTransition` (inside the caller's Prisma transaction) or `applyTransitionStatement`
// (one statement on the pool, for the role job's hot path: docs/BENCHMARKS.md, scale). Both are one conditional
// UPDATE on (status, version), so a lost race changes nothing, and both write the same side effects, built by the
// modules that own them: the audit row (audit/), the webhook event with its deliveries and jobs (webhooks/) and the
// review-message edit (review-channel/) and the applicant's DMs held for the role (notifications/), composed into one
// statement (src/lib/statement.ts).
import type { ApplicationStatus, RoleAssignmentStatus } from "@/generated/prisma/enums";
import { Prisma, type Application } from "@/generated/prisma/client";
import { auditInsertSql, type AuditActor } from "@/lib/audit/record-audit";
import { queryRows, type Tx } from "@/lib/db";
import { AppError } from "@/lib/errors/app-error";
import { ensureJobSchema } from "@/lib/jobs/migrate";
import { applicantMessageTransitionEffect } from "@/lib/notifications/transition-messages";
import { reviewMessageEditEffect } from "@/lib/review-channel/enqueue";
import { countsOf, withCtes, type Cte, type MovedApplication, type TransitionEffect } from "@/lib/statement";
import { webhookTransitionEffect } from "@/lib/webhooks/outbox";

/**
 * What every transition owes other systems, in its transaction, after its audit row. A module with a new duty
 * (a message, an event) exports a TransitionEffect and is added here, never beside a caller.
 */
const TRANSITION_EFFECTS: readonly TransitionEffect[] = [
  webhookTransitionEffect,
  reviewMessageEditEffect,
  applicantMessageTransitionEffect,
];

export const TRANSITIONS: Readonly<Record<ApplicationStatus, readonly ApplicationStatus[]>> = {
  PENDING: ["REJECTED", "APPROVED", "APPROVED_PENDING_ROLE"],
  APPROVED_PENDING_ROLE: ["APPROVED_ROLE_ASSIGNED", "APPROVED_ROLE_FAILED"],
  // No dead end: retry, mark the role handled by hand (-> ASSIGNED), reject after all, or revoke.
  APPROVED_ROLE_FAILED: ["APPROVED_PENDING_ROLE", "APPROVED_ROLE_ASSIGNED", "REJECTED", "REVOKED_PENDING_ROLE_REMOVAL"],
  // An approval without a Discord account has no roles to take back.
  APPROVED: ["REVOKED"],
  REJECTED: [],
  APPROVED_ROLE_ASSIGNED: ["REVOKED_PENDING_ROLE_REMOVAL"],
  REVOKED_PENDING_ROLE_REMOVAL: ["REVOKED", "REVOKED_ROLE_REMOVAL_FAILED"],
  // Retry the removal, or mark it handled by hand (-> REVOKED).
  REVOKED_ROLE_REMOVAL_FAILED: ["REVOKED_PENDING_ROLE_REMOVAL", "REVOKED"],
  REVOKED: [],
};

/** States whose outcome the role job still has to write (the dashboard follows them without a reload). */
export const ROLE_JOB_PENDING_STATES: readonly ApplicationStatus[] = [
  "APPROVED_PENDING_ROLE",
  "REVOKED_PENDING_ROLE_REMOVAL",
];

export function canTransition(from: ApplicationStatus, to: ApplicationStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export function assertTransition(from: ApplicationStatus, to: ApplicationStatus): void {
  if (!canTransition(from, to)) {
    throw new AppError("illegal_transition", `An application cannot move from ${from} to ${to}.`, {
      details: { from, to },
    });
  }
}

/** The system actor (job runner) has no user or token id; audit rows then carry `actor: "system"` in metadata. */
export type TransitionActor = AuditActor & { system?: boolean };

type TransitionCore = {
  applicationId: string;
  organizationId: string;
  from: ApplicationStatus;
  to: ApplicationStatus;
  /** The version the caller read; the UPDATE only applies if nobody changed the row since. */
  expectedVersion: number;
  actor: TransitionActor;
  /** Audit action; defaults to `application.transition`. */
  action?: string;
  metadata?: Record<string, unknown>;
  ip?: string | null;
};

export type TransitionOptions = TransitionCore & {
  tx: Tx;
  data?: Omit<Prisma.ApplicationUncheckedUpdateManyInput, "status" | "version" | "id" | "organizationId">;
};

/** Applies one legal transition or throws `illegal_transition` / `conflict`; returns the updated row. */
export async function transitionApplication(options: TransitionOptions): Promise<Application> {
  await applyTransition(options);
  return options.tx.application.findUniqueOrThrow({ where: { id: options.applicationId } });
}

/**
 * The same without reading the row back (the job runner does not need it). Two statements in the caller's
 * transaction: Prisma's conditional UPDATE (any column), then the side effects in one statement.
 */
export async function applyTransition(options: TransitionOptions): Promise<void> {
  const { tx, applicationId, organizationId, from, to, expectedVersion } = options;
  assertTransition(from, to);
  const { count } = await tx.application.updateMany({
    where: { id: applicationId, organizationId, status: from, version: expectedVersion },
    data: { ...options.data, status: to, version: { increment: 1 } },
  });
  if (count !== 1) {
    throw new AppError("conflict", "The application was changed by someone else; reload and try again.", {
      details: { expected: from },
    });
  }
  await ensureJobSchema();
  const moved = Prisma.sql`SELECT ${applicationId}::uuid AS id, ${organizationId}::uuid AS "organizationId"`;
  const { roleErrorCode, roleErrorMessage } = options.data ?? {};
  await tx.$queryRaw(transitionStatement(moved, options, roleErrorOf(roleErrorCode, roleErrorMessage)));
}

/** The columns the single-statement mode sets beside status and version: the role job's outcome. */
export type StatementColumns = {
  roleAssignmentStatus?: RoleAssignmentStatus;
  /** Stored as jsonb. */
  roleOutcomes?: unknown;
  /** Set to the statement's now(). */
  roleAssignedAt?: "now";
  roleErrorCode?: string | null;
  roleErrorMessage?: string | null;
};

export type TransitionStatementOptions = TransitionCore & { set?: StatementColumns };

/**
 * The single-statement mode: the conditional UPDATE and every side effect of applyTransition in one statement,
 * prepared on the pool (one round trip, no transaction to open). Returns false, having written nothing, when the
 * application was no longer `from` at `expectedVersion`: there is nothing to roll back, so the caller decides.
 */
export async function applyTransitionStatement(options: TransitionStatementOptions): Promise<boolean> {
  const { applicationId, organizationId, from, to, expectedVersion } = options;
  assertTransition(from, to);
  await ensureJobSchema();
  const set = options.set ?? {};
  const moved = Prisma.sql`
    UPDATE "Application" SET status = ${to}::"ApplicationStatus", ${Prisma.join([...setClauses(set), Prisma.sql`version = version + 1, "updatedAt" = now()`], ", ")}
    WHERE id = ${applicationId}::uuid AND "organizationId" = ${organizationId}::uuid
      AND status = ${from}::"ApplicationStatus" AND version = ${expectedVersion}::int
    RETURNING id, "organizationId"`;
  const roleError = roleErrorOf(set.roleErrorCode, set.roleErrorMessage);
  const [row] = await queryRows<{ moved: number }>(transitionStatement(moved, options, roleError));
  return row?.moved === 1;
}

/** In a fixed order, so one set of columns is always one statement text (prepared once per connection). */
function setClauses(set: StatementColumns): Prisma.Sql[] {
  const clauses: Prisma.Sql[] = [];
  if (set.roleAssignmentStatus !== undefined)
    clauses.push(Prisma.sql`"roleAssignmentStatus" = ${set.roleAssignmentStatus}::"RoleAssignmentStatus"`);
  if (set.roleOutcomes !== undefined)
    clauses.push(Prisma.sql`"roleOutcomes" = ${JSON.stringify(set.roleOutcomes)}::jsonb`);
  if (set.roleAssignedAt === "now") clauses.push(Prisma.sql`"roleAssignedAt" = now()`);
  if (set.roleErrorCode !== undefined) clauses.push(Prisma.sql`"roleErrorCode" = ${set.roleErrorCode}::text`);
  if (set.roleErrorMessage !== undefined) clauses.push(Prisma.sql`"roleErrorMessage" = ${set.roleErrorMessage}::text`);
  return clauses;
}

function roleErrorOf(code: unknown, message: unknown): MovedApplication["roleError"] {
  return typeof code === "string" ? { code, message: String(message ?? "") } : null;
}

/**
 * `moved` (the UPDATE, or the row Prisma's UPDATE already moved), the audit row and every TRANSITION_EFFECTS
 * piece; the final SELECT counts the moved row and runs the SELECT-only pieces (job enqueues).
 */
function transitionStatement(
  moved: Prisma.Sql,
  options: TransitionCore,
  roleError: MovedApplication["roleError"],
): Prisma.Sql {
  const { applicationId, organizationId, from, to, actor } = options;
  const transition: MovedApplication = {
    moved: Prisma.raw("moved"),
    applicationId,
    organizationId,
    from,
    to,
    roleError,
    at: new Date().toISOString(),
  };
  const ctes: Cte[] = [
    { name: "moved", sql: moved },
    {
      name: "audited",
      sql: auditInsertSql({
        rows: transition.moved,
        actor: { userId: actor.userId ?? null, apiTokenId: actor.apiTokenId ?? null },
        action: options.action ?? "application.transition",
        targetType: "application",
        outcome: to === "APPROVED_ROLE_FAILED" || to === "REVOKED_ROLE_REMOVAL_FAILED" ? "FAILED" : "SUCCESS",
        metadata: { from, to, ...(actor.system ? { actor: "system" } : {}), ...options.metadata },
        ip: options.ip ?? null,
      }),
    },
    ...TRANSITION_EFFECTS.flatMap((effect) => effect(transition)),
  ];
  return withCtes(ctes, countsOf(ctes, "moved"));
}
