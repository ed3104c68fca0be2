// The member re-check after a member_not_in_guild failure: after 2 min, 10 min, 1 h, then every 6 h for 7 days
// (settings.memberRecheck), and once the applicant is in the server the application goes back to
// APPROVED_PENDING_ROLE and gets its assign-role job.
import { db } from "@/lib/db";
import { addJob, jobKey } from "@/lib/jobs/add-job";
import { logger } from "@/lib/logger";
import {
  enqueueRoleAssignment,
  JOB_MAX_ATTEMPTS,
  MEMBER_RECHECK_TASK,
  type AssignRolePayload,
} from "@/lib/applications/role-jobs/enqueue";
import { classifyRoleError } from "@/lib/applications/role-jobs/role-failures";
import { withDeadline } from "@/lib/applications/role-jobs/role-gateway";
import { recheckDelayMs, type RoleAssignmentSettings } from "@/lib/applications/role-jobs/settings";
import { applyTransition } from "@/lib/applications/state-machine/state-machine";

const SYSTEM = { system: true } as const;

export type MemberRecheckPayload = AssignRolePayload & { step: number; since: string };

export const memberRecheckJobKey = jobKey("member-recheck");

type ScheduleRecheckOptions = {
  tx: Parameters<typeof addJob>[0]["tx"];
  applicationId: string;
  organizationId: string;
  step: number;
  since: Date;
  settings: RoleAssignmentSettings;
};

/** Schedules re-check `step`, unless the window is over; returns whether one was scheduled. */
export async function scheduleMemberRecheck(options: ScheduleRecheckOptions): Promise<boolean> {
  const delay = recheckDelayMs(options.settings, options.step, Date.now() - options.since.getTime());
  if (delay === null) return false;
  const payload: MemberRecheckPayload = {
    applicationId: options.applicationId,
    organizationId: options.organizationId,
    step: options.step,
    since: options.since.toISOString(),
  };
  await addJob({
    tx: options.tx,
    identifier: MEMBER_RECHECK_TASK,
    payload,
    jobKey: memberRecheckJobKey.of(options.applicationId),
    maxAttempts: JOB_MAX_ATTEMPTS,
    runAt: new Date(Date.now() + delay),
  });
  return true;
}

/**
 * Re-check of a member_not_in_guild failure: once the applicant is in the server, move back to
 * APPROVED_PENDING_ROLE (not counted as a manual retry) and assign; otherwise schedule the next, later check.
 */
export async function runMemberRecheck(payload: MemberRecheckPayload, settings: RoleAssignmentSettings): Promise<void> {
  const { applicationId, organizationId } = payload;
  const application = await db.application.findFirst({ where: { id: applicationId, organizationId } });
  if (
    !application ||
    application.status !== "APPROVED_ROLE_FAILED" ||
    application.roleErrorCode !== "member_not_in_guild"
  )
    return;
  const connection = await db.discordConnection.findUnique({ where: { organizationId } });
  const guildId = connection?.guildId ?? null;
  let joined = false;
  if (guildId && application.applicantDiscordId) {
    const userId = application.applicantDiscordId;
    try {
      joined = await withDeadline(settings.timeoutMs, (signal) =>
        settings.gateway.isGuildMember({ guildId, userId, signal }),
      );
    } catch (error) {
      const failure = classifyRoleError(error);
      logger.warn({ applicationId, code: failure.code }, "member re-check failed");
      if (!failure.transient) return; // the admin sees the assignment failed; a manual retry shows the new reason
    }
  }
  await db.$transaction(async (tx) => {
    if (!joined) {
      await scheduleMemberRecheck({
        tx,
        applicationId,
        organizationId,
        step: payload.step + 1,
        since: new Date(payload.since),
        settings,
      });
      return;
    }
    await applyTransition({
      tx,
      applicationId,
      organizationId,
      from: "APPROVED_ROLE_FAILED",
      to: "APPROVED_PENDING_ROLE",
      expectedVersion: application.version,
      data: { roleAssignmentStatus: "PENDING", attemptCount: 0, roleErrorCode: null, roleErrorMessage: null },
      actor: SYSTEM,
      action: "application.member_joined",
      metadata: { recheck: payload.step + 1 },
    });
    await enqueueRoleAssignment({ tx, applicationId, organizationId });
  });
}
