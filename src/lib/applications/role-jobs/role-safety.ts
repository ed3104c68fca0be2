// The last check before Guildgate grants a role: against the role's permissions as Discord reports them now (not
// as they were when the role was chosen), a role carrying a dangerous permission is refused unless an OWNER allowed
// that role (DiscordConnection.dangerousRoleAllowances). Used by the role job and the assign-role route.
import { db as defaultDb, type Db } from "@/lib/db";
import { dangerousPermissionsOf } from "@/lib/discord/permissions";
import { roleFailure, RoleAssignmentFailure } from "@/lib/applications/role-jobs/role-failures";

export type AssertRoleGrantableOptions = {
  organizationId: string;
  /** The role as Discord just listed it. */
  role: { id: string; permissions: string };
  db?: Db;
};

/** Throws RoleAssignmentFailure `role_dangerous` for a dangerous role no OWNER allowed; a safe role costs no query. */
export async function assertRoleGrantable(options: AssertRoleGrantableOptions): Promise<void> {
  const dangerous = dangerousPermissionsOf(options.role.permissions);
  if (dangerous.length === 0) return;
  const connection = await (options.db ?? defaultDb).discordConnection.findUnique({
    where: { organizationId: options.organizationId },
    select: { dangerousRoleAllowances: true },
  });
  if (connection?.dangerousRoleAllowances.includes(options.role.id)) return;
  throw new RoleAssignmentFailure(roleFailure("role_dangerous", false, `role carries ${dangerous.join(", ")}`));
}
