// Whether the bot can give or take each role a form's role rule names: the role exists, the bot has Manage Roles (or
// Administrator), the role is not managed by an integration or @everyone, and it sits below the bot's highest role.
// Used when a rule is saved (src/lib/forms/role-rules.ts) and by the health check (guild-health.ts).
import type { APIRole } from "discord-api-types/v10";
import { highestBotRole } from "./bot-role";

const ADMINISTRATOR = 1n << 3n;
const MANAGE_ROLES = 1n << 28n;

export type GuildRoleState = { guildId: string; roles: readonly APIRole[]; botRoleIds: readonly string[] };

export type RoleProblemCode = "role_missing" | "missing_permissions" | "role_not_assignable";
export type RoleProblem = { roleId: string; roleName: string | null; code: RoleProblemCode; problem: string };

export function botCanManageRoles(state: GuildRoleState): boolean {
  const byId = new Map(state.roles.map((r) => [r.id, r]));
  const permissions = [state.guildId, ...state.botRoleIds]
    .map((id) => byId.get(id))
    .reduce((acc, r) => acc | (r ? BigInt(r.permissions) : 0n), 0n);
  return (permissions & ADMINISTRATOR) !== 0n || (permissions & MANAGE_ROLES) !== 0n;
}

export type CheckRuleRolesOptions = { state: GuildRoleState; roleIds: readonly string[] };

/** One problem per role the bot could not change; an empty list when every role is fine. */
export function checkRuleRoles({ state, roleIds }: CheckRuleRolesOptions): RoleProblem[] {
  const byId = new Map(state.roles.map((r) => [r.id, r]));
  const top = highestBotRole(state.roles, state.guildId, state.botRoleIds);
  const manage = botCanManageRoles(state);
  const problems: RoleProblem[] = [];
  for (const roleId of new Set(roleIds)) {
    const role = byId.get(roleId);
    if (!role) {
      problems.push({
        roleId,
        roleName: null,
        code: "role_missing",
        problem: "This role no longer exists in the server.",
      });
    } else if (!manage) {
      problems.push({
        roleId,
        roleName: role.name,
        code: "missing_permissions",
        problem: "The bot does not have the Manage Roles permission.",
      });
    } else if (role.id === state.guildId || role.managed) {
      problems.push({
        roleId,
        roleName: role.name,
        code: "role_not_assignable",
        problem: role.managed ? "The role is managed by an integration." : "Everyone has this role.",
      });
    } else if (!top || role.position >= top.position) {
      problems.push({
        roleId,
        roleName: role.name,
        code: "missing_permissions",
        problem: `“${role.name}” is not below the bot's highest role.`,
      });
    }
  }
  return problems;
}
