// The task list and crontab the job runner serves for applications.
import type { TaskList } from "graphile-worker";
import { runAssignRole, runMemberRecheck, type MemberRecheckPayload } from "./assign-role-task";
import { ASSIGN_ROLE_TASK, MEMBER_RECHECK_TASK, SWEEP_TASK, type AssignRolePayload } from "./enqueue";
import type { RoleAssignmentSettings } from "./settings";
import { sweepRoleAssignments } from "./sweeper";

export const APPLICATION_CRONTAB = `* * * * * ${SWEEP_TASK}`;

export function createApplicationTasks(settings: RoleAssignmentSettings): TaskList {
  return {
    [ASSIGN_ROLE_TASK]: async (payload) => runAssignRole(payload as AssignRolePayload, settings),
    [MEMBER_RECHECK_TASK]: async (payload) => runMemberRecheck(payload as MemberRecheckPayload, settings),
    [SWEEP_TASK]: async () => {
      await sweepRoleAssignments(settings);
    },
  };
}
