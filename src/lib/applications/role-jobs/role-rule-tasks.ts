// The role jobs besides the approval's assign-role job: a revocation (remove what the approval added, give back
// what it removed) and a rejection's role (the form's optional rejection role, and for a rejection after a failed
// approval, undoing whatever that approval managed to change). Same machinery as assign-role: graphile-worker jobs
// added in the transaction of the state change, an attempt counted before Discord is called, transient failures
// retried with backoff, the outcome recorded per role, and the sweeper restoring a lost job.
import { Prisma } from "@/generated/prisma/client";
import { db, type Db, type Tx } from "@/lib/db";
import { isValidDiscordUserId } from "@/lib/discord/ids";
import { addJob, jobKey, type JobKey } from "@/lib/jobs/add-job";
import { logger } from "@/lib/logger";
import {
  applyRoleRules,
  type ApplyRoleRulesResult,
  type RoleChange,
} from "@/lib/applications/role-jobs/apply-role-rules";
import { rateLimitWaitMs, roleFailure, type RoleFailure } from "@/lib/applications/role-jobs/role-failures";
import { recordRoleOutcomes, revocationChanges, snapshotOf } from "@/lib/applications/role-jobs/role-rule-runs";
import { backoffMs, rateLimitDelayMs, type RoleAssignmentSettings } from "@/lib/applications/role-jobs/settings";
import { applyTransition } from "@/lib/applications/state-machine/state-machine";

export const REVOKE_ROLES_TASK = "revoke-roles";
export const REJECT_ROLES_TASK = "reject-roles";
const JOB_MAX_ATTEMPTS = 5;
const SYSTEM = { system: true } as const;

export type RoleRulePayload = { applicationId: string; organizationId: string };
type RoleRuleTask = typeof REVOKE_ROLES_TASK | typeof REJECT_ROLES_TASK;

export type EnqueueRoleRuleJobOptions = {
  tx: Tx | Db;
  task: RoleRuleTask;
  applicationId: string;
  organizationId: string;
  runAt?: Date;
};

/** Keyed per task and application, so an application never has two such jobs waiting. */
export const roleRuleJobKeys: Readonly<Record<RoleRuleTask, JobKey>> = {
  [REVOKE_ROLES_TASK]: jobKey(REVOKE_ROLES_TASK),
  [REJECT_ROLES_TASK]: jobKey(REJECT_ROLES_TASK),
};

export async function enqueueRoleRuleJob(options: EnqueueRoleRuleJobOptions) {
  const payload: RoleRulePayload = { applicationId: options.applicationId, organizationId: options.organizationId };
  return addJob({
    tx: options.tx,
    identifier: options.task,
    payload,
    jobKey: roleRuleJobKeys[options.task].of(options.applicationId),
    maxAttempts: JOB_MAX_ATTEMPTS,
    runAt: options.runAt,
  });
}

type Claimed = {
  id: string;
  organizationId: string;
  applicantDiscordId: string | null;
  attemptCount: number;
  version: number;
  status: string;
  roleRule: unknown;
  guildId: string | null;
  approvedRoleId: string | null;
  connectionState: string | null;
};

/** Counts the attempt and reads what it needs in one statement; null when there is nothing (left) to do. */
async function claim(task: RoleRuleTask, applicationId: string, organizationId: string): Promise<Claimed | null> {
  const waiting =
    task === REVOKE_ROLES_TASK
      ? Prisma.sql`a.status = 'REVOKED_PENDING_ROLE_REMOVAL'`
      : Prisma.sql`a.status = 'REJECTED' AND a."roleAssignmentStatus" = 'PENDING'`;
  const rows = await db.$queryRaw<Claimed[]>(Prisma.sql`
    UPDATE "Application" a
    SET "attemptCount" = a."attemptCount" + 1, "roleAttemptedAt" = now(), "updatedAt" = now()
    WHERE a.id = ${applicationId}::uuid AND a."organizationId" = ${organizationId}::uuid AND ${waiting}
    RETURNING a.id::text AS id, a."organizationId"::text AS "organizationId", a."applicantDiscordId", a."attemptCount", a.version,
      a.status::text AS status, a."roleRule",
      (SELECT c."guildId" FROM "DiscordConnection" c WHERE c."organizationId" = a."organizationId") AS "guildId",
      (SELECT c."approvedRoleId" FROM "DiscordConnection" c WHERE c."organizationId" = a."organizationId") AS "approvedRoleId",
      (SELECT c.state::text FROM "DiscordConnection" c WHERE c."organizationId" = a."organizationId") AS "connectionState"`);
  return rows[0] ?? null;
}

/** The changes a rejection makes: its role, and after a failed approval, that approval undone. */
function rejectionChanges(application: Claimed): RoleChange[] {
  const rule = snapshotOf(application.roleRule, application.approvedRoleId);
  const undo = rule.rejectUndo ? revocationChanges(rule) : [];
  return [
    ...(rule.rejectAdd ? [{ roleId: rule.rejectAdd, action: "add" as const }] : []),
    ...undo.filter((c) => c.roleId !== rule.rejectAdd),
  ];
}

export async function runRoleRuleTask(
  task: RoleRuleTask,
  payload: RoleRulePayload,
  settings: RoleAssignmentSettings,
): Promise<void> {
  const application = await claim(task, payload.applicationId, payload.organizationId);
  if (!application) return;
  let failure: RoleFailure | null = null;
  const { guildId, applicantDiscordId: userId } = application;
  const changes =
    task === REVOKE_ROLES_TASK
      ? revocationChanges(snapshotOf(application.roleRule, application.approvedRoleId))
      : rejectionChanges(application);
  if (!guildId || application.connectionState === "DISCONNECTED") failure = roleFailure("guild_not_connected");
  else if (!isValidDiscordUserId(userId)) failure = roleFailure("invalid_discord_user_id");
  else if (changes.length) {
    const verb = task === REVOKE_ROLES_TASK ? "revoked" : "rejected";
    const result = await applyRoleRules({
      gateway: settings.gateway,
      timeoutMs: settings.timeoutMs,
      guildId,
      userId,
      changes,
      reason: `Guildgate: application ${application.id} ${verb}`,
      whenNotMember: task === REVOKE_ROLES_TASK ? "done" : "fail",
    }).catch((error: unknown): ApplyRoleRulesResult & { waitMs?: number } => {
      const wait = rateLimitWaitMs(error);
      if (wait !== null) return { outcomes: [], failure: null, waitMs: wait };
      logger.warn(
        { applicationId: application.id, task, err: error instanceof Error ? error.name : "unknown" },
        "role rule job failed unexpectedly",
      );
      return { outcomes: [], failure: roleFailure("internal_error", true) };
    });
    if ("waitMs" in result && result.waitMs !== undefined) {
      await waitForRateLimit(task, application, result.waitMs);
      return;
    }
    if (result.outcomes.length) await recordRoleOutcomes({ applicationId: application.id, outcomes: result.outcomes });
    failure = result.failure;
  }
  if (failure) await recordFailure(task, application, failure, settings);
  else await recordSuccess(task, application, changes.length);
}

async function recordSuccess(task: RoleRuleTask, application: Claimed, changed: number) {
  await db.$transaction(async (tx) => {
    if (task === REVOKE_ROLES_TASK) {
      await applyTransition({
        tx,
        applicationId: application.id,
        organizationId: application.organizationId,
        from: "REVOKED_PENDING_ROLE_REMOVAL",
        to: "REVOKED",
        expectedVersion: application.version,
        data: { roleAssignmentStatus: "SUCCESS", roleErrorCode: null, roleErrorMessage: null },
        actor: SYSTEM,
        action: "application.roles_removed",
        metadata: { attempt: application.attemptCount, changed },
      });
      return;
    }
    await tx.application.updateMany({
      where: { id: application.id, status: "REJECTED", roleAssignmentStatus: "PENDING" },
      data: { roleAssignmentStatus: "SUCCESS", roleErrorCode: null, roleErrorMessage: null },
    });
    await tx.auditEvent.create({
      data: {
        organizationId: application.organizationId,
        action: "application.reject_roles_applied",
        targetType: "application",
        targetId: application.id,
        outcome: "SUCCESS",
        metadata: { actor: "system", changed },
      },
    });
  });
}

/** A rate limit is a wait, never an attempt: the attempt is given back and the job comes back after the wait. */
async function waitForRateLimit(task: RoleRuleTask, application: Claimed, waitMs: number): Promise<void> {
  const { id: applicationId, organizationId } = application;
  const pendingStatus = task === REVOKE_ROLES_TASK ? "REVOKED_PENDING_ROLE_REMOVAL" : "REJECTED";
  await db.$transaction(async (tx) => {
    await tx.application.updateMany({
      where: { id: applicationId, status: pendingStatus, attemptCount: { gt: 0 } },
      data: { attemptCount: { decrement: 1 } },
    });
    await enqueueRoleRuleJob({
      tx,
      task,
      applicationId,
      organizationId,
      runAt: new Date(Date.now() + rateLimitDelayMs(waitMs)),
    });
  });
}

async function recordFailure(
  task: RoleRuleTask,
  application: Claimed,
  failure: RoleFailure,
  settings: RoleAssignmentSettings,
) {
  const { id: applicationId, organizationId, attemptCount: attempt } = application;
  logger.warn({ applicationId, task, code: failure.code, detail: failure.detail, attempt }, "role rule attempt failed");
  const pendingStatus = task === REVOKE_ROLES_TASK ? "REVOKED_PENDING_ROLE_REMOVAL" : "REJECTED";
  if (failure.transient && attempt < settings.maxAttempts) {
    await db.$transaction(async (tx) => {
      await tx.application.updateMany({
        where: { id: applicationId, status: pendingStatus },
        data: { roleErrorCode: failure.code, roleErrorMessage: failure.message },
      });
      await enqueueRoleRuleJob({
        tx,
        task,
        applicationId,
        organizationId,
        runAt: new Date(Date.now() + backoffMs(settings, attempt)),
      });
    });
    return;
  }
  await db.$transaction(async (tx) => {
    const data = {
      roleAssignmentStatus: "FAILED" as const,
      roleErrorCode: failure.code,
      roleErrorMessage: failure.message,
    };
    if (task === REVOKE_ROLES_TASK) {
      await applyTransition({
        tx,
        applicationId,
        organizationId,
        from: "REVOKED_PENDING_ROLE_REMOVAL",
        to: "REVOKED_ROLE_REMOVAL_FAILED",
        expectedVersion: application.version,
        data,
        actor: SYSTEM,
        action: "application.role_removal_failed",
        metadata: { discord: failure.code, detail: failure.detail, attempt },
      });
      return;
    }
    await tx.application.updateMany({
      where: { id: applicationId, status: "REJECTED", roleAssignmentStatus: "PENDING" },
      data,
    });
    await tx.auditEvent.create({
      data: {
        organizationId,
        action: "application.reject_roles_failed",
        targetType: "application",
        targetId: applicationId,
        outcome: "FAILED",
        metadata: { actor: "system", discord: failure.code, detail: failure.detail ?? null, attempt },
      },
    });
  });
}

type Orphan = { id: string; organizationId: string; task: RoleRuleTask };

/** The sweeper's part for these jobs: a revocation or rejection waiting for its roles without a live job gets one. */
export async function sweepRoleRuleJobs(
  settings: Pick<RoleAssignmentSettings, "sweepGraceMs" | "staleLockMs">,
): Promise<number> {
  const grace = `${Math.round(settings.sweepGraceMs)} milliseconds`;
  const stale = `${Math.round(settings.staleLockMs)} milliseconds`;
  const orphans = await db.$queryRaw<Orphan[]>(Prisma.sql`
    SELECT a.id::text, a."organizationId"::text,
      CASE WHEN a.status = 'REJECTED' THEN ${REJECT_ROLES_TASK} ELSE ${REVOKE_ROLES_TASK} END AS task
    FROM "Application" a
    WHERE a."roleAssignmentStatus" = 'PENDING' AND a.status IN ('REVOKED_PENDING_ROLE_REMOVAL', 'REJECTED')
      AND a."updatedAt" < now() - ${grace}::interval
      AND NOT EXISTS (
        SELECT 1 FROM graphile_worker._private_jobs j
        WHERE j.key IN (${roleRuleJobKeys[REVOKE_ROLES_TASK].sql(Prisma.sql`a.id::text`)}, ${roleRuleJobKeys[REJECT_ROLES_TASK].sql(Prisma.sql`a.id::text`)})
          AND j.attempts < j.max_attempts AND (j.locked_at IS NULL OR j.locked_at > now() - ${stale}::interval))
    ORDER BY a."updatedAt" LIMIT 500`);
  for (const orphan of orphans) {
    await enqueueRoleRuleJob({
      tx: db,
      task: orphan.task,
      applicationId: orphan.id,
      organizationId: orphan.organizationId,
    });
  }
  return orphans.length;
}
