// The task list and crontab the job runner serves for applications.
import type { TaskList } from "graphile-worker";
import { runAssignRole } from "@/lib/applications/role-jobs/assign-role-task";
import { runMemberRecheck, type MemberRecheckPayload } from "@/lib/applications/role-jobs/member-recheck";
import {
  ASSIGN_ROLE_TASK,
  MEMBER_RECHECK_TASK,
  SWEEP_TASK,
  type AssignRolePayload,
} from "@/lib/applications/role-jobs/enqueue";
import {
  REJECT_ROLES_TASK,
  REVOKE_ROLES_TASK,
  runRoleRuleTask,
  sweepRoleRuleJobs,
  type RoleRulePayload,
} from "@/lib/applications/role-jobs/role-rule-tasks";
import type { RoleAssignmentSettings } from "@/lib/applications/role-jobs/settings";
import { sweepRoleAssignments } from "@/lib/applications/role-jobs/sweeper";

export const APPLICATION_CRONTAB = `* * * * * ${SWEEP_TASK}`;

export function createApplicationTasks(settings: RoleAssignmentSettings): TaskList {
  return {
    [ASSIGN_ROLE_TASK]: async (payload) => runAssignRole(payload as AssignRolePayload, settings),
    [MEMBER_RECHECK_TASK]: async (payload) => runMemberRecheck(payload as MemberRecheckPayload, settings),
    [REVOKE_ROLES_TASK]: async (payload) => runRoleRuleTask(REVOKE_ROLES_TASK, payload as RoleRulePayload, settings),
    [REJECT_ROLES_TASK]: async (payload) => runRoleRuleTask(REJECT_ROLES_TASK, payload as RoleRulePayload, settings),
    [SWEEP_TASK]: async () => {
      await sweepRoleAssignments(settings);
      await sweepRoleRuleJobs(settings);
    },
  };
}
