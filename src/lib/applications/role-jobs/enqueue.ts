// Enqueueing the role assignment, always inside the transaction of the state change that needs it. Jobs run in no
// named queue: graphile-worker's fetch locks every queue row, so a queue per guild made each fetch cost grow with
// the number of guilds. Per-guild pacing comes from the guild's schedule (guild-schedule.ts) instead.
import type { Db, Tx } from "@/lib/db";
import { addJob, jobKey } from "@/lib/jobs/add-job";

export const ASSIGN_ROLE_TASK = "assign-role";
export const MEMBER_RECHECK_TASK = "assign-role-member-recheck";
export const SWEEP_TASK = "sweep-role-assignments";
/** graphile-worker retries a job only when our task itself crashes (database down); Discord failures are ours. */
export const JOB_MAX_ATTEMPTS = 5;

export type AssignRolePayload = {
  applicationId: string;
  organizationId: string;
  /** The guild slot this job already reserved (ISO time), when it was rescheduled to wait for it. */
  slotAt?: string;
};

export type EnqueueRoleAssignmentOptions = {
  tx: Tx | Db;
  applicationId: string;
  organizationId: string;
  runAt?: Date;
  slotAt?: Date;
};

/** The job key is the application id, so an application never has two assign-role jobs waiting. */
export const assignRoleJobKey = jobKey(null);

export async function enqueueRoleAssignment(options: EnqueueRoleAssignmentOptions) {
  const payload: AssignRolePayload = { applicationId: options.applicationId, organizationId: options.organizationId };
  if (options.slotAt) payload.slotAt = options.slotAt.toISOString();
  return addJob({
    tx: options.tx,
    identifier: ASSIGN_ROLE_TASK,
    payload,
    jobKey: assignRoleJobKey.of(options.applicationId),
    maxAttempts: JOB_MAX_ATTEMPTS,
    runAt: options.runAt,
  });
}
