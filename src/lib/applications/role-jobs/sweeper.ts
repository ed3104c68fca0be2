// Every minute: any APPROVED_PENDING_ROLE application without a live job gets one again (a job lost to a crash in an older version, or one graphile-worker gave up on). Likewise a
// member_not_in_guild failure still inside its re-check window gets its re-check back. Nothing stays pending forever.
import { Prisma } from "@/generated/prisma/client";
import { db } from "@/lib/db";
import { ensureJobSchema } from "@/lib/jobs/migrate";
import { logger } from "@/lib/logger";
import { assignRoleJobKey, enqueueRoleAssignment } from "@/lib/applications/role-jobs/enqueue";
import { memberRecheckJobKey, scheduleMemberRecheck } from "@/lib/applications/role-jobs/member-recheck";
import { memberRecheckCutoff } from "@/lib/applications/role-jobs/recheck-window";
import type { RoleAssignmentSettings } from "@/lib/applications/role-jobs/settings";

const BATCH = 500;

type Orphan = { id: string; organizationId: string };

export type SweepResult = { reenqueued: number; rechecksRestored: number };

type Waiting = { id: string; organizationId: string; roleAttemptedAt: Date };

export type RecheckCandidatesOptions = {
  settings: Pick<RoleAssignmentSettings, "memberRecheck" | "sweepGraceMs">;
  /** Epoch ms; the clock by default. */
  now?: number;
};

/**
 * member_not_in_guild failures still inside their re-check window (memberRecheckCutoff, the window the overview
 * and the applications list use, from roleAttemptedAt) without a re-check job. Served by
 * applications_member_recheck_idx (roleAttemptedAt) WHERE FAILED AND member_not_in_guild AND APPROVED_ROLE_FAILED,
 * the conditions below: a range of that index, not a read of every failed application each minute.
 */
export function recheckCandidatesSql({ settings, now }: RecheckCandidatesOptions): Prisma.Sql {
  const grace = `${Math.round(settings.sweepGraceMs)} milliseconds`;
  return Prisma.sql`
    SELECT a.id::text, a."organizationId"::text, a."roleAttemptedAt"
    FROM "Application" a
    WHERE a."roleAssignmentStatus" = 'FAILED' AND a."roleErrorCode" = 'member_not_in_guild'
      AND a.status = 'APPROVED_ROLE_FAILED'
      AND a."roleAttemptedAt" > ${memberRecheckCutoff({ settings, now }).toISOString()}::timestamptz
      AND a."roleAttemptedAt" < now() - ${grace}::interval
      AND NOT EXISTS (
        SELECT 1 FROM graphile_worker._private_jobs j
        WHERE j.key = ${memberRecheckJobKey.sql(Prisma.sql`a.id::text`)} AND j.attempts < j.max_attempts)
    ORDER BY a."roleAttemptedAt" LIMIT ${BATCH}`;
}

export async function sweepRoleAssignments(settings: RoleAssignmentSettings): Promise<SweepResult> {
  await ensureJobSchema();
  const grace = `${Math.round(settings.sweepGraceMs)} milliseconds`;
  const stale = `${Math.round(settings.staleLockMs)} milliseconds`;
  // Dead runners' locks are the worker registry's (src/lib/jobs/worker-registry.ts: a runner silent for 20 s).
  // Unlocking here by lock age alone, as this sweeper once did, would also free the running jobs of a live runner.
  // A job counts as live while it may still run and, when locked, its lock is younger than `stale`.
  // Served by applications_role_pending_idx (updatedAt) WHERE roleAssignmentStatus = 'PENDING'.
  const orphans = await db.$queryRaw<Orphan[]>(Prisma.sql`
    SELECT a.id::text, a."organizationId"::text, a."updatedAt"
    FROM "Application" a
    WHERE a."roleAssignmentStatus" = 'PENDING' AND a.status = 'APPROVED_PENDING_ROLE'
      AND a."updatedAt" < now() - ${grace}::interval
      AND NOT EXISTS (
        SELECT 1 FROM graphile_worker._private_jobs j
        WHERE j.key = ${assignRoleJobKey.sql(Prisma.sql`a.id::text`)} AND j.attempts < j.max_attempts
          AND (j.locked_at IS NULL OR j.locked_at > now() - ${stale}::interval))
    ORDER BY a."updatedAt" LIMIT ${BATCH}`);
  for (const orphan of orphans) {
    await enqueueRoleAssignment({ tx: db, applicationId: orphan.id, organizationId: orphan.organizationId });
  }
  const waiting = await db.$queryRaw<Waiting[]>(recheckCandidatesSql({ settings }));
  let rechecksRestored = 0;
  for (const app of waiting) {
    const step = settings.memberRecheck.stepsMs.length; // past the quick checks: the slow cadence
    if (
      await scheduleMemberRecheck({
        tx: db,
        applicationId: app.id,
        organizationId: app.organizationId,
        step,
        since: app.roleAttemptedAt,
        settings,
      })
    ) {
      rechecksRestored++;
    }
  }
  if (orphans.length || rechecksRestored) {
    logger.warn({ reenqueued: orphans.length, rechecksRestored }, "role-assignment sweeper restored jobs");
  }
  return { reenqueued: orphans.length, rechecksRestored };
}
