// Which guild roles approvals grant (the approved role) and which the internal assign-role route may grant
// (assignable roles), picked from the guild's roles as Discord reports them. A role the bot cannot give (managed,
// @everyone, or not below the bot's highest role) is refused, so the choice cannot set up failed assignments.
import type { APIRole } from "discord-api-types/v10";
import { z } from "zod";
import { recordAudit, type AuditActor } from "@/lib/audit/record-audit";
import { db as defaultDb, type Db } from "@/lib/db";
import { isDiscordError, toBudgetAppError } from "@/lib/discord/client";
import { getGuildDiscordClient } from "@/lib/discord/guild-client";
import { snowflake } from "@/lib/discord/ids";
import { BotTokenInvalid, OrganizationSuspended, TokenResolutionError } from "@/lib/discord/token-resolver";
import { AppError } from "@/lib/errors/app-error";
import { highestBotRole } from "./bot-role";
import { cachedBotRead } from "./discord-reads";

export type GuildRoleOption = { id: string; name: string; position: number; color: number; assignable: boolean; reason?: string };
export type RoleSettings = { guildId: string; approvedRoleId: string | null; assignableRoleIds: string[]; roles: GuildRoleOption[] };

export const roleSettingsInput = z.object({
  approvedRoleId: snowflake,
  /** Extra roles POST /api/discord/assign-role may grant besides the approved role. */
  assignableRoleIds: z.array(snowflake).max(25).default([]),
});
export type RoleSettingsInput = z.infer<typeof roleSettingsInput>;

async function connectedGuildOrThrow(organizationId: string, db: Db) {
  const connection = await db.discordConnection.findUnique({
    where: { organizationId },
    select: { state: true, guildId: true, approvedRoleId: true, assignableRoleIds: true },
  });
  if (!connection || connection.state !== "CONNECTED" || !connection.guildId) {
    throw new AppError("conflict", "Connect the bot to a server first.");
  }
  return { ...connection, guildId: connection.guildId };
}

type GuildRolesOptions = { organizationId: string; guildId: string; userId?: string | null; fresh?: boolean };

/** The guild's roles, highest first, each marked with whether the bot can give it (kept 30 s, limited per organization). */
function guildRoles(options: GuildRolesOptions): Promise<GuildRoleOption[]> {
  return cachedBotRead({
    key: `roles:${options.organizationId}:${options.guildId}`,
    organizationId: options.organizationId,
    fresh: options.fresh,
    read: () => readGuildRoles(options.guildId, options.userId ?? null),
  });
}

async function readGuildRoles(guildId: string, userId: string | null): Promise<GuildRoleOption[]> {
  try {
    const { client: bot } = await getGuildDiscordClient({ guildId, timeoutMs: 8_000, userId });
    const [me, roles] = await Promise.all([bot.getCurrentUser(), bot.getGuildRoles(guildId)]);
    const member = await bot.getGuildMember(guildId, me.id);
    const top = highestBotRole(roles, guildId, member.roles)?.position ?? 0;
    const option = (r: APIRole): GuildRoleOption => {
      const reason = r.id === guildId ? "everyone has it" : r.managed ? "managed by an integration" : r.position >= top ? "above the bot's role" : undefined;
      return { id: r.id, name: r.name, position: r.position, color: r.color, assignable: !reason, ...(reason ? { reason } : {}) };
    };
    return roles.map(option).sort((a, b) => b.position - a.position);
  } catch (error) {
    const refusal = toBudgetAppError(error);
    if (refusal) throw refusal;
    if (error instanceof OrganizationSuspended) {
      throw new AppError("organization_suspended", "This organization is suspended; its server's roles cannot be read.");
    }
    if (error instanceof BotTokenInvalid) {
      throw new AppError("bot_token_invalid", "Discord no longer accepts the bot's token; enter a new one under Bring your own bot.");
    }
    if (isDiscordError(error) || error instanceof TokenResolutionError) {
      throw new AppError("discord_error", "Discord could not list the server's roles. Try again in a minute.", { cause: error });
    }
    throw error;
  }
}

export type GetRoleSettingsOptions = { organizationId: string; userId?: string | null; db?: Db };

export async function getRoleSettings({ organizationId, userId, db = defaultDb }: GetRoleSettingsOptions): Promise<RoleSettings> {
  const connection = await connectedGuildOrThrow(organizationId, db);
  const roles = await guildRoles({ organizationId, guildId: connection.guildId, userId });
  return { guildId: connection.guildId, approvedRoleId: connection.approvedRoleId, assignableRoleIds: connection.assignableRoleIds, roles };
}

export type UpdateRoleSettingsOptions = { organizationId: string; input: RoleSettingsInput; actor: AuditActor & { ip: string | null }; db?: Db };

export async function updateRoleSettings({ organizationId, input, actor, db = defaultDb }: UpdateRoleSettingsOptions): Promise<RoleSettings> {
  const connection = await connectedGuildOrThrow(organizationId, db);
  // A save is checked against Discord's current roles, not a cached list.
  const roles = await guildRoles({ organizationId, guildId: connection.guildId, userId: actor.userId, fresh: true });
  const byId = new Map(roles.map((r) => [r.id, r]));
  const extra = [...new Set(input.assignableRoleIds)].filter((id) => id !== input.approvedRoleId);
  for (const id of [input.approvedRoleId, ...extra]) {
    const role = byId.get(id);
    if (!role) throw new AppError("invalid_role_id", "That role is not in the connected server.", { details: { roleId: id } });
    if (!role.assignable) throw new AppError("invalid_role_id", `The bot cannot give “${role.name}”: ${role.reason}.`, { details: { roleId: id } });
  }
  const approved = byId.get(input.approvedRoleId)!;
  await db.$transaction(async (tx) => {
    // Only while the same guild is still connected: a disconnect or reconnect in between wins.
    const { count } = await tx.discordConnection.updateMany({
      where: { organizationId, state: "CONNECTED", guildId: connection.guildId },
      data: { approvedRoleId: approved.id, approvedRoleName: approved.name, assignableRoleIds: extra },
    });
    if (count !== 1) throw new AppError("conflict", "The bot connection changed meanwhile; reload and try again.");
    await recordAudit({
      db: tx,
      organizationId,
      actor: { userId: actor.userId, apiTokenId: actor.apiTokenId },
      action: "bot.roles_update",
      targetType: "guild",
      targetId: connection.guildId,
      outcome: "SUCCESS",
      metadata: { approvedRoleId: approved.id, assignableRoleIds: extra, previousApprovedRoleId: connection.approvedRoleId },
      ip: actor.ip,
    });
  });
  return { guildId: connection.guildId, approvedRoleId: approved.id, assignableRoleIds: extra, roles };
}
