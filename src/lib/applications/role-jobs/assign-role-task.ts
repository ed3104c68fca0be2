// The assign-role job (the member re-check after member_not_in_guild is in member-recheck.ts): give an approved applicant the organization's approved role, then record the outcome
// through the state machine. It acts only while the application is APPROVED_PENDING_ROLE, so a duplicate or
// stale job does nothing, and Discord's PUT is idempotent, so a retry after a lost answer is harmless.
// Rate limits are waits, never attempts: the guild's member-role limit is planned ahead (a slot per call in the
// guild's schedule), and a call Discord or our client refuses for a rate limit comes back after `retryAfter`.
import { Prisma } from "@/generated/prisma/client";
import { db, queryRows } from "@/lib/db";
import { isValidDiscordUserId } from "@/lib/discord/ids";
import { logger, safeErrorFields } from "@/lib/logger";
import { enqueueRoleAssignment, type AssignRolePayload } from "@/lib/applications/role-jobs/enqueue";
import { guildSlotUpsertSql, pushGuildSchedule } from "@/lib/applications/role-jobs/guild-schedule";
import {
  classifyRoleError,
  rateLimitWaitMs,
  roleFailure,
  RoleAssignmentFailure,
  type RoleFailure,
} from "@/lib/applications/role-jobs/role-failures";
import { applyRoleRules, mustReadMember } from "@/lib/applications/role-jobs/apply-role-rules";
import { approvalChanges, recordRoleOutcomes, snapshotOf } from "@/lib/applications/role-jobs/role-rule-runs";
import { assertRoleGrantable } from "@/lib/applications/role-jobs/role-safety";
import { scheduleMemberRecheck } from "@/lib/applications/role-jobs/member-recheck";
import { backoffMs, rateLimitDelayMs, type RoleAssignmentSettings } from "@/lib/applications/role-jobs/settings";
import { markAssigned } from "@/lib/applications/state-machine/mark-assigned";
import { applyTransition } from "@/lib/applications/state-machine/state-machine";
import { metrics } from "@/lib/metrics";

const SYSTEM = { system: true } as const;

/** What an attempt needs to know before it claims anything: the call it would make, if it can make one. */
type Plan = {
  guildId: string | null;
  approvedRoleId: string | null;
  applicantDiscordId: string | null;
  connectionState: string | null;
};

/** The application as one attempt sees it, with its reviewer, role rule and the organization's guild settings. */
type Claimed = Plan & {
  id: string;
  organizationId: string;
  attemptCount: number;
  /** ISO (to_jsonb): when this attempt was claimed, the start of a member re-check window. */
  roleAttemptedAt: string;
  version: number;
  reviewerName: string | null;
  reviewerDiscordId: string | null;
  roleRule: unknown;
};

/**
 * One statement for what an attempt does before calling Discord (a role job's round trips and commits are its cost
 * at scale, so it and the outcome run straight on the pool, not through Prisma's query engine): read the plan; unless the job holds a reserved slot, reserve the guild's next one when the plan calls
 * Discord; and claim the attempt (count it before calling Discord, so a crash mid-call still uses one of the
 * automatic attempts) only when the slot is at most `slotLeadMs` away, so a job rescheduled for a later slot
 * spends nothing. Null when the application is not waiting for its role (finished, or a stale job). The SQL test
 * of the applicant's id is the digits check of isValidDiscordUserId; an id that passes it but not the timestamp
 * check (never stored by intake) would cost the guild one unused slot.
 */
async function claimWithSlot(
  payload: AssignRolePayload,
  reserved: Date | null,
  settings: RoleAssignmentSettings,
): Promise<ClaimResult | null> {
  const { applicationId, organizationId } = payload;
  const reserve = reserved
    ? Prisma.sql`SELECT NULL::timestamptz AS slot WHERE false`
    : Prisma.sql`
        INSERT INTO "GuildRoleSchedule" AS s ("guildId", "windowStart", used)
        SELECT p."guildId", now(), 1 FROM plan p
        WHERE p."guildId" IS NOT NULL AND p."connectionState" IS DISTINCT FROM 'DISCONNECTED'
          AND p."approvedRoleId" IS NOT NULL AND p."applicantDiscordId" ~ '^[1-9][0-9]{16,19}$'
        ${guildSlotUpsertSql(settings.memberRoleLimit)}`;
  const lead = `${Math.round(settings.slotLeadMs)} milliseconds`;
  const rows = await queryRows<Plan & { slot: Date | null; claimed: Claimed | null }>(Prisma.sql`
    WITH plan AS (
      SELECT a.id, c."guildId", c."approvedRoleId", a."applicantDiscordId", c.state::text AS "connectionState"
      FROM "Application" a LEFT JOIN "DiscordConnection" c ON c."organizationId" = a."organizationId"
      WHERE a.id = ${applicationId}::uuid AND a."organizationId" = ${organizationId}::uuid
        AND a.status = 'APPROVED_PENDING_ROLE'),
    slot AS (${reserve}),
    claimed AS (
      UPDATE "Application" a
      SET "attemptCount" = a."attemptCount" + 1, "roleAttemptedAt" = now(), "updatedAt" = now()
      FROM plan p
      WHERE a.id = p.id AND a.status = 'APPROVED_PENDING_ROLE'
        AND COALESCE((SELECT slot FROM slot), ${reserved}::timestamptz, now()) <= now() + ${lead}::interval
      RETURNING a.id::text AS id, a."organizationId"::text AS "organizationId", a."applicantDiscordId",
        a."attemptCount", a."roleAttemptedAt", a.version, a."roleRule",
        (SELECT u.name FROM "User" u WHERE u.id = a."reviewedById") AS "reviewerName",
        (SELECT u."discordUserId" FROM "User" u WHERE u.id = a."reviewedById") AS "reviewerDiscordId",
        p."guildId", p."approvedRoleId", p."connectionState")
    SELECT p."guildId", p."approvedRoleId", p."applicantDiscordId", p."connectionState",
      COALESCE((SELECT slot FROM slot), ${reserved}::timestamptz) AS slot,
      (SELECT to_jsonb(c) FROM claimed c) AS claimed
    FROM plan p`);
  const row = rows[0];
  if (!row) return null;
  const { slot, claimed, ...plan } = row;
  return { plan, slot, claimed };
}

type ClaimResult = { plan: Plan; slot: Date | null; claimed: Claimed | null };

/** A plan that will call Discord: the guild is connected, a role is set and the applicant's id is valid. */
function callsDiscord(plan: Plan): plan is Plan & { guildId: string } {
  return Boolean(
    plan.guildId &&
    plan.connectionState !== "DISCONNECTED" &&
    plan.approvedRoleId &&
    isValidDiscordUserId(plan.applicantDiscordId),
  );
}

/** The slot this job reserved earlier, unless it is long past (the job ran late, so its window is gone). */
function reservedSlot(payload: AssignRolePayload, settings: RoleAssignmentSettings): Date | null {
  const reserved = payload.slotAt ? new Date(payload.slotAt) : null;
  return reserved && Date.now() - reserved.getTime() < settings.memberRoleLimit.windowMs / 2 ? reserved : null;
}

/** Not an attempt: the job comes back `slotLeadMs` before its slot, which it keeps. */
async function rescheduleForSlot(payload: AssignRolePayload, slot: Date, settings: RoleAssignmentSettings) {
  await enqueueRoleAssignment({
    tx: db,
    applicationId: payload.applicationId,
    organizationId: payload.organizationId,
    runAt: new Date(slot.getTime() - settings.slotLeadMs),
    slotAt: slot,
  });
}

export async function runAssignRole(payload: AssignRolePayload, settings: RoleAssignmentSettings): Promise<void> {
  const { applicationId, organizationId } = payload;
  const claim = await claimWithSlot(payload, reservedSlot(payload, settings), settings);
  if (!claim) return;
  const { claimed: application, slot } = claim;
  if (!application) {
    // The slot is further away than the lead: only a plan that calls Discord reserves one.
    if (slot) await rescheduleForSlot(payload, slot, settings);
    return;
  }
  if (slot && callsDiscord(claim.plan)) {
    const wait = slot.getTime() - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }
  const attempt = application.attemptCount;
  let putSent = false;
  try {
    const { guildId } = application;
    if (!guildId || application.connectionState === "DISCONNECTED")
      throw new RoleAssignmentFailure(roleFailure("guild_not_connected"));
    const rule = snapshotOf(application.roleRule, application.approvedRoleId);
    if (!rule.add.length && !rule.remove.length)
      throw new RoleAssignmentFailure(roleFailure("role_missing", false, "no approved role configured"));
    const userId = application.applicantDiscordId;
    if (!isValidDiscordUserId(userId)) throw new RoleAssignmentFailure(roleFailure("invalid_discord_user_id"));

    // The form's whole role rule, idempotently, with an outcome per role (apply-role-rules.ts); a role to add is
    // checked against its current permissions (role-safety.ts). A rate limit aborts the set: the job waits.
    const by = application.reviewerName
      ? `${application.reviewerName} (${application.reviewerDiscordId})`
      : "an administrator";
    const reason = `Guildgate: application ${applicationId} approved by ${by}`;
    const changes = approvalChanges(rule);
    putSent = true;
    const result = await applyRoleRules({
      gateway: settings.gateway,
      timeoutMs: settings.timeoutMs,
      guildId,
      userId,
      changes,
      reason,
      whenNotMember: "fail",
      readMember: mustReadMember(attempt, changes),
      checkAdd: (role) => assertRoleGrantable({ organizationId, role }),
    });
    if (result.failure) {
      await recordRoleOutcomes({ applicationId, outcomes: result.outcomes });
      throw new RoleAssignmentFailure(result.failure);
    }
    await markAssigned({
      application,
      outcomes: result.outcomes,
      metadata: { attempt, guildId, roleIds: rule.add, removedRoleIds: rule.remove },
    });
    metrics.roleJob({ outcome: "assigned" });
  } catch (error) {
    const wait = rateLimitWaitMs(error);
    if (wait !== null) {
      await waitForRateLimit(application, wait, putSent);
      return;
    }
    const failure = classifyRoleError(error);
    // Ours, not Discord's: name, code and stack frames (never the message) so an operator can find it.
    if (failure.code === "internal_error")
      logger.warn({ applicationId, err: safeErrorFields(error) }, "role assignment hit an unexpected error");
    await recordFailure(application, failure, settings);
  }
}

/**
 * Discord (or our client, refusing locally: its rate limits, the invalid-request budget) said to wait: the attempt
 * is given back, the job comes back after the wait, and when the member-role call itself was refused no other job
 * of the guild is planned before then either.
 */
async function waitForRateLimit(application: Claimed, waitMs: number, memberRoleCall: boolean): Promise<void> {
  const { id: applicationId, organizationId, guildId } = application;
  const notBefore = new Date(Date.now() + rateLimitDelayMs(waitMs));
  logger.info({ applicationId, waitMs }, "role assignment waits for a Discord rate limit");
  await db.$transaction(async (tx) => {
    await tx.$executeRaw`
      UPDATE "Application" SET "attemptCount" = GREATEST(0, "attemptCount" - 1)
      WHERE id = ${applicationId}::uuid AND "organizationId" = ${organizationId}::uuid AND status = 'APPROVED_PENDING_ROLE'`;
    if (memberRoleCall && guildId) await pushGuildSchedule({ db: tx, guildId, notBefore });
    await enqueueRoleAssignment({ tx, applicationId, organizationId, runAt: notBefore });
  });
}

async function recordFailure(application: Claimed, failure: RoleFailure, settings: RoleAssignmentSettings) {
  const { id: applicationId, organizationId, attemptCount: attempt } = application;
  logger.warn({ applicationId, code: failure.code, detail: failure.detail, attempt }, "role assignment attempt failed");
  metrics.roleJob({
    outcome: failure.transient && attempt < settings.maxAttempts ? "retrying" : "failed",
    code: failure.code,
  });
  if (failure.transient && attempt < settings.maxAttempts) {
    // Stay APPROVED_PENDING_ROLE; the next attempt replaces this job under the same key (a new job, since this
    // one is running) and the last error is visible meanwhile.
    await db.$transaction(async (tx) => {
      await tx.application.updateMany({
        where: { id: applicationId, status: "APPROVED_PENDING_ROLE" },
        data: { roleErrorCode: failure.code, roleErrorMessage: failure.message },
      });
      await enqueueRoleAssignment({
        tx,
        applicationId,
        organizationId,
        runAt: new Date(Date.now() + backoffMs(settings, attempt)),
      });
    });
    return;
  }
  await db.$transaction(async (tx) => {
    await applyTransition({
      tx,
      applicationId,
      organizationId,
      from: "APPROVED_PENDING_ROLE",
      to: "APPROVED_ROLE_FAILED",
      expectedVersion: application.version,
      data: { roleAssignmentStatus: "FAILED", roleErrorCode: failure.code, roleErrorMessage: failure.message },
      actor: SYSTEM,
      action: "application.role_failed",
      metadata: { discord: failure.code, detail: failure.detail, attempt },
    });
    if (failure.code === "member_not_in_guild") {
      // From the attempt, like the window the dashboard shows and the sweeper restores (settings.ts).
      const since = new Date(application.roleAttemptedAt);
      await scheduleMemberRecheck({ tx, applicationId, organizationId, step: 0, since, settings });
    }
  });
}
