// Which guild roles approvals grant (the approved role) and which the internal assign-role route may grant
// (assignable roles), picked from the guild's roles as Discord reports them. A role the bot cannot give (managed,
// @everyone, or not below the bot's highest role) is refused, so the choice cannot set up failed assignments.
// A role carrying a dangerous permission (src/lib/discord/permissions.ts) is refused too, unless an OWNER allows
// that very role (`allowDangerousRoleIds`): the allowance is stored and audited, and the role job checks again.
import type { APIRole } from "discord-api-types/v10";
import { z } from "zod";
import type { MemberRole } from "@/generated/prisma/enums";
import { recordAudit, type AuditActor } from "@/lib/audit/record-audit";
import { db as defaultDb, type Db } from "@/lib/db";
import { snowflake } from "@/lib/discord/ids";
import { sanitizeExternalText } from "@/lib/http/input";
import { dangerousPermissionsOf, type DangerousPermission } from "@/lib/discord/permissions";
import { AppError } from "@/lib/errors/app-error";
import { notifyApiTokensChanged } from "@/lib/security/api-token-cache";
import { highestBotRole } from "./bot-role";
import { cachedBotRead } from "./discord-reads";
import { readBotRoleView } from "./guild-roles";

export type GuildRoleOption = {
  id: string;
  name: string;
  position: number;
  color: number;
  assignable: boolean;
  reason?: string;
  /** Dangerous permissions the role carries; such a role is assignable only while an OWNER allows it. */
  dangerousPermissions?: DangerousPermission[];
  /** Set for a dangerous role that nothing else blocks: whether an OWNER allows it (the choice the owner makes). */
  dangerousAllowed?: boolean;
};
export type RoleSettings = {
  guildId: string;
  approvedRoleId: string | null;
  assignableRoleIds: string[];
  /** Dangerous roles an OWNER allowed to be granted. */
  dangerousRoleAllowances: string[];
  roles: GuildRoleOption[];
};

export const roleSettingsInput = z.object({
  approvedRoleId: snowflake,
  /** Extra roles POST /api/discord/assign-role may grant besides the approved role. */
  assignableRoleIds: z.array(snowflake).max(25).default([]),
  /**
   * OWNER only: the chosen roles carrying dangerous permissions that may be granted anyway. Omitted: the current
   * allowances stay for the roles still chosen. Given: it replaces them.
   */
  allowDangerousRoleIds: z.array(snowflake).max(26).optional(),
});
export type RoleSettingsInput = z.infer<typeof roleSettingsInput>;

async function connectedGuildOrThrow(organizationId: string, db: Db) {
  const connection = await db.discordConnection.findUnique({
    where: { organizationId },
    select: {
      state: true,
      guildId: true,
      approvedRoleId: true,
      assignableRoleIds: true,
      dangerousRoleAllowances: true,
    },
  });
  if (!connection || connection.state !== "CONNECTED" || !connection.guildId) {
    throw new AppError("conflict", "Connect the bot to a server first.");
  }
  return { ...connection, guildId: connection.guildId };
}

const DANGEROUS_REASON = "carries dangerous permissions; only an owner can allow it";

type GuildRolesOptions = {
  organizationId: string;
  guildId: string;
  /** Dangerous roles an OWNER allowed: assignable despite their permissions. */
  allowances: readonly string[];
  userId?: string | null;
  fresh?: boolean;
};

/**
 * The guild's roles, highest first, each marked with whether the bot can give it (dangerous ones only if allowed);
 * kept 30 s and limited per organization.
 */
function guildRoles(options: GuildRolesOptions): Promise<GuildRoleOption[]> {
  return cachedBotRead({
    key: `roles:${options.organizationId}:${options.guildId}:${[...options.allowances].sort().join(",")}`,
    organizationId: options.organizationId,
    fresh: options.fresh,
    read: () => readGuildRoles(options.guildId, options.allowances, options.userId ?? null),
  });
}

async function readGuildRoles(
  guildId: string,
  allowances: readonly string[],
  userId: string | null,
): Promise<GuildRoleOption[]> {
  const { roles, botRoleIds } = await readBotRoleView({ guildId, userId });
  const top = highestBotRole(roles, guildId, botRoleIds)?.position ?? 0;
  const option = (r: APIRole): GuildRoleOption => {
    const dangerous = dangerousPermissionsOf(r.permissions);
    const blocked =
      r.id === guildId
        ? "everyone has it"
        : r.managed
          ? "managed by an integration"
          : r.position >= top
            ? "above the bot's role"
            : undefined;
    const allowed = allowances.includes(r.id);
    const reason = blocked ?? (dangerous.length && !allowed ? DANGEROUS_REASON : undefined);
    return {
      id: r.id,
      name: r.name,
      position: r.position,
      color: r.color,
      assignable: !reason,
      ...(reason ? { reason } : {}),
      ...(dangerous.length ? { dangerousPermissions: dangerous } : {}),
      ...(dangerous.length && !blocked ? { dangerousAllowed: allowed } : {}),
    };
  };
  return roles.map(option).sort((a, b) => b.position - a.position);
}

export type GetRoleSettingsOptions = {
  organizationId: string;
  userId?: string | null;
  /** Ask Discord now instead of serving the 30 s answer. */
  fresh?: boolean;
  db?: Db;
};

export async function getRoleSettings({
  organizationId,
  userId,
  fresh,
  db = defaultDb,
}: GetRoleSettingsOptions): Promise<RoleSettings> {
  const connection = await connectedGuildOrThrow(organizationId, db);
  const roles = await guildRoles({
    organizationId,
    guildId: connection.guildId,
    allowances: connection.dangerousRoleAllowances,
    userId,
    fresh,
  });
  return {
    guildId: connection.guildId,
    approvedRoleId: connection.approvedRoleId,
    assignableRoleIds: connection.assignableRoleIds,
    dangerousRoleAllowances: connection.dangerousRoleAllowances,
    roles,
  };
}

export type UpdateRoleSettingsOptions = {
  organizationId: string;
  input: RoleSettingsInput;
  /** `role` is the member's role: only an OWNER may allow dangerous roles. */
  actor: AuditActor & { ip: string | null; role?: MemberRole };
  db?: Db;
};

function dangerousRoleError(role: GuildRoleOption): AppError {
  const names = (role.dangerousPermissions ?? []).join(", ");
  return new AppError(
    "role_dangerous",
    `“${role.name}” carries dangerous permissions (${names}); an approval or API token would hand them out. Only an owner can allow this role.`,
    { details: { roleId: role.id, permissions: role.dangerousPermissions } },
  );
}

export async function updateRoleSettings({
  organizationId,
  input,
  actor,
  db = defaultDb,
}: UpdateRoleSettingsOptions): Promise<RoleSettings> {
  if (input.allowDangerousRoleIds?.length && actor.role !== "OWNER") {
    throw new AppError("forbidden", "Only an owner can allow roles with dangerous permissions.");
  }
  const connection = await connectedGuildOrThrow(organizationId, db);
  const extra = [...new Set(input.assignableRoleIds)].filter((id) => id !== input.approvedRoleId);
  const chosen = [input.approvedRoleId, ...extra];
  // The allowances this save ends with: the owner's new list, or the current ones for roles still chosen.
  const allowances = (input.allowDangerousRoleIds ?? connection.dangerousRoleAllowances).filter((id) =>
    chosen.includes(id),
  );
  // A save is checked against Discord's current roles, not a cached list.
  const roles = await guildRoles({
    organizationId,
    guildId: connection.guildId,
    allowances,
    userId: actor.userId,
    fresh: true,
  });
  const byId = new Map(roles.map((r) => [r.id, r]));
  for (const id of chosen) {
    const role = byId.get(id);
    if (!role)
      throw new AppError("invalid_role_id", "That role is not in the connected server.", { details: { roleId: id } });
    if (role.dangerousAllowed === false) throw dangerousRoleError(role);
    if (!role.assignable)
      throw new AppError("invalid_role_id", `The bot cannot give “${role.name}”: ${role.reason}.`, {
        details: { roleId: id },
      });
  }
  // Only roles that are dangerous now need (and keep) an allowance.
  const kept = allowances.filter((id) => byId.get(id)?.dangerousPermissions?.length);
  const newlyAllowed = kept.filter((id) => !connection.dangerousRoleAllowances.includes(id));
  const approved = byId.get(input.approvedRoleId)!;
  await db.$transaction(async (tx) => {
    // Only while the same guild is still connected: a disconnect or reconnect in between wins.
    const { count } = await tx.discordConnection.updateMany({
      where: { organizationId, state: "CONNECTED", guildId: connection.guildId },
      data: {
        approvedRoleId: approved.id,
        approvedRoleName: sanitizeExternalText(approved.name, 100),
        assignableRoleIds: extra,
        dangerousRoleAllowances: kept,
      },
    });
    if (count !== 1) throw new AppError("conflict", "The bot connection changed meanwhile; reload and try again.");
    await notifyApiTokensChanged(organizationId, tx);
    await recordAudit({
      db: tx,
      organizationId,
      actor: { userId: actor.userId, apiTokenId: actor.apiTokenId },
      action: "bot.roles_update",
      targetType: "guild",
      targetId: connection.guildId,
      outcome: "SUCCESS",
      metadata: {
        approvedRoleId: approved.id,
        assignableRoleIds: extra,
        previousApprovedRoleId: connection.approvedRoleId,
        dangerousRoleAllowances: kept,
      },
      ip: actor.ip,
    });
    for (const roleId of newlyAllowed) {
      await recordAudit({
        db: tx,
        organizationId,
        actor: { userId: actor.userId, apiTokenId: actor.apiTokenId },
        action: "bot.dangerous_role_allowed",
        targetType: "role",
        targetId: roleId,
        outcome: "SUCCESS",
        metadata: {
          guildId: connection.guildId,
          roleName: byId.get(roleId)!.name,
          permissions: byId.get(roleId)!.dangerousPermissions,
        },
        ip: actor.ip,
      });
    }
  });
  return {
    guildId: connection.guildId,
    approvedRoleId: approved.id,
    assignableRoleIds: extra,
    dangerousRoleAllowances: kept,
    roles,
  };
}
