// Enqueueing the role assignment, always inside the transaction of the state change that needs it.
import type { Db, Tx } from "@/lib/db";
import { addJob } from "@/lib/jobs/add-job";

export const ASSIGN_ROLE_TASK = "assign-role";
export const MEMBER_RECHECK_TASK = "assign-role-member-recheck";
export const SWEEP_TASK = "sweep-role-assignments";
/** graphile-worker retries a job only when our task itself crashes (database down); Discord failures are ours. */
export const JOB_MAX_ATTEMPTS = 5;

export type AssignRolePayload = { applicationId: string; organizationId: string };

/** One queue per guild keeps one bot's calls in order; before a guild is connected, one per organization. */
export function roleQueueName(guildId: string | null | undefined, organizationId: string): string {
  return guildId ? `discord-guild:${guildId}` : `discord-org:${organizationId}`;
}

export type EnqueueRoleAssignmentOptions = {
  tx: Tx | Db;
  applicationId: string;
  organizationId: string;
  guildId?: string | null;
  runAt?: Date;
};

/** The job key is the application id, so an application never has two assign-role jobs waiting. */
export async function enqueueRoleAssignment(options: EnqueueRoleAssignmentOptions) {
  const payload: AssignRolePayload = { applicationId: options.applicationId, organizationId: options.organizationId };
  return addJob({
    tx: options.tx,
    identifier: ASSIGN_ROLE_TASK,
    payload,
    queueName: roleQueueName(options.guildId, options.organizationId),
    jobKey: options.applicationId,
    maxAttempts: JOB_MAX_ATTEMPTS,
    runAt: options.runAt,
  });
}
