// Guild health, from Discord: is the bot in the guild, may it manage roles, and is its highest role above the
// approved role (Discord only lets a bot assign roles below its own highest role: the most common reason approvals
// end without a role). Every problem comes with a fix in plain language for the settings page.
import type { APIRole } from "discord-api-types/v10";
import { db as defaultDb, type Db } from "@/lib/db";
import { isDiscordFailure, isDiscordStatus, isTokenResolution, toBudgetAppError } from "@/lib/discord/errors";
import { getGuildDiscordClient } from "@/lib/discord/guild-client";
import { highestBotRole } from "./bot-role";
import { reviewChannelCheck } from "./review-channel-check";
import { cachedBotRead } from "./discord-reads";
import { checkRuleRoles } from "./role-rule-check";

const ADMINISTRATOR = 1n << 3n;
const MANAGE_ROLES = 1n << 28n;

export type HealthCheckId =
  "bot_token" | "bot_in_guild" | "manage_roles" | "approved_role" | "role_hierarchy" | "role_rules" | "review_channel";
export type HealthCheck = { id: HealthCheckId; ok: boolean; problem?: string; fix?: string };

export type GuildHealth =
  | { status: "not_connected" }
  /** Discord could not be asked (outage, timeout): nothing is known to be wrong. */
  | { status: "unknown"; guildId: string; message: string }
  | { status: "healthy" | "problems"; guildId: string; guildName: string | null; checks: HealthCheck[] };

export type CheckGuildHealthOptions = {
  organizationId: string;
  /** The signed-in user asking: their share of Discord's invalid-request budget is spent too. */
  userId?: string | null;
  /** Ask Discord now instead of answering from the last 30 s (still limited per organization). */
  fresh?: boolean;
  db?: Db;
  timeoutMs?: number;
};

const FIX = {
  bot_token: {
    problem: "Discord no longer accepts the bot's token.",
    fix: "If you use your own bot, open the Discord Developer Portal, reset the bot token and enter the new one under Bring your own bot. Otherwise contact support.",
  },
  bot_in_guild: {
    problem: "The bot is not in your Discord server (it was removed or the server is gone).",
    fix: "Disconnect, then use Connect bot to add it to your server again.",
  },
  manage_roles: {
    problem: "The bot does not have the Manage Roles permission.",
    fix: "In Discord, open Server Settings → Roles, select the bot's role and turn on Manage Roles.",
  },
  approved_role: {
    problem: "The approved role no longer exists in your server.",
    fix: "Disconnect and connect the bot again: Guildgate creates the role again.",
  },
} as const;

function failed(id: keyof typeof FIX): HealthCheck {
  return { id, ok: false, ...FIX[id] };
}

/** The forms' role rules, checked like at save time: the role order or the bot's permissions may have changed since. */
async function roleRulesCheck(
  client: Db,
  organizationId: string,
  state: { guildId: string; roles: APIRole[]; botRoleIds: string[] },
): Promise<HealthCheck> {
  const forms = await client.applicationForm.findMany({
    where: { organizationId },
    select: { name: true, approveAddRoleIds: true, approveRemoveRoleIds: true, rejectAddRoleId: true },
  });
  const problems = forms.flatMap((f) =>
    checkRuleRoles({
      state,
      roleIds: [...f.approveAddRoleIds, ...f.approveRemoveRoleIds, ...(f.rejectAddRoleId ? [f.rejectAddRoleId] : [])],
    }).map((p) => `Form “${f.name}”: ${p.roleName ? `“${p.roleName}”` : `role ${p.roleId}`}: ${p.problem}`),
  );
  if (!problems.length) return { id: "role_rules", ok: true };
  return {
    id: "role_rules",
    ok: false,
    problem: problems.join(" "),
    fix: "In Discord, move the bot's role above every role a form adds or removes (and give it Manage Roles), or change the form's role rule under Settings → Forms.",
  };
}

export async function checkGuildHealth(options: CheckGuildHealthOptions): Promise<GuildHealth> {
  const client = options.db ?? defaultDb;
  const connection = await client.discordConnection.findUnique({
    where: { organizationId: options.organizationId },
    select: {
      state: true,
      guildId: true,
      guildName: true,
      approvedRoleId: true,
      approvedRoleName: true,
      reviewChannelId: true,
    },
  });
  if (!connection || connection.state !== "CONNECTED" || !connection.guildId) return { status: "not_connected" };
  const { guildId } = connection;
  // Kept 30 s (a page load and its refreshes cost one check) and limited per organization; "unknown" is not kept.
  return cachedBotRead({
    key: `health:${options.organizationId}:${guildId}:${connection.approvedRoleId ?? ""}:${connection.reviewChannelId ?? ""}`,
    organizationId: options.organizationId,
    fresh: options.fresh,
    read: () => askDiscord({ ...options, connection: { ...connection, guildId } }),
    cacheable: (health) => health.status !== "unknown",
  });
}

type Connection = {
  guildId: string;
  guildName: string | null;
  approvedRoleId: string | null;
  reviewChannelId: string | null;
};

async function askDiscord(options: CheckGuildHealthOptions & { connection: Connection }): Promise<GuildHealth> {
  const { connection } = options;
  const { guildId, guildName } = connection;
  const report = (checks: HealthCheck[]): GuildHealth => ({
    status: checks.every((c) => c.ok) ? "healthy" : "problems",
    guildId,
    guildName,
    checks,
  });

  try {
    // Through the resolver: no Discord call for a suspended organization or a token Discord already refused.
    const { client: bot } = await getGuildDiscordClient({
      guildId,
      timeoutMs: options.timeoutMs ?? 8_000,
      userId: options.userId,
    });
    let botUserId: string;
    try {
      botUserId = (await bot.getCurrentUser()).id;
    } catch (error) {
      if (isDiscordStatus(error, 401)) return report([failed("bot_token")]);
      throw error;
    }
    const checks: HealthCheck[] = [{ id: "bot_token", ok: true }];
    let memberRoleIds: string[];
    try {
      memberRoleIds = (await bot.getGuildMember(guildId, botUserId)).roles;
    } catch (error) {
      // 404: unknown guild or member; 403: missing access (the bot was kicked and can no longer see the guild).
      if (isDiscordStatus(error, 404) || isDiscordStatus(error, 403))
        return report([...checks, failed("bot_in_guild")]);
      throw error;
    }
    checks.push({ id: "bot_in_guild", ok: true });
    const roles = await bot.getGuildRoles(guildId);
    const byId = new Map(roles.map((r) => [r.id, r]));
    const botRoles = [guildId, ...memberRoleIds].map((id) => byId.get(id)).filter((r): r is APIRole => r !== undefined);
    const permissions = botRoles.reduce((acc, r) => acc | BigInt(r.permissions), 0n);
    const canManage = (permissions & ADMINISTRATOR) !== 0n || (permissions & MANAGE_ROLES) !== 0n;
    checks.push(canManage ? { id: "manage_roles", ok: true } : failed("manage_roles"));

    const approved = connection.approvedRoleId ? byId.get(connection.approvedRoleId) : undefined;
    if (!approved) return report([...checks, failed("approved_role")]);
    checks.push({ id: "approved_role", ok: true });
    const highest = highestBotRole(roles, guildId, memberRoleIds);
    if (highest && highest.position > approved.position) {
      checks.push({ id: "role_hierarchy", ok: true });
    } else {
      const botRoleName = highest && highest.id !== guildId ? `“${highest.name}”` : "the bot's role";
      checks.push({
        id: "role_hierarchy",
        ok: false,
        problem: `The bot's highest role is not above “${approved.name}”, so Discord will refuse to give that role to anyone.`,
        fix: `In Discord, open Server Settings → Roles and drag ${botRoleName} above “${approved.name}”, then save.`,
      });
    }
    checks.push(
      await roleRulesCheck(options.db ?? defaultDb, options.organizationId, {
        guildId,
        roles,
        botRoleIds: memberRoleIds,
      }),
    );
    if (connection.reviewChannelId) {
      const channels = await bot.getGuildChannels(guildId);
      checks.push(
        reviewChannelCheck({
          guildId,
          channelId: connection.reviewChannelId,
          channels,
          roles,
          botUserId,
          botRoleIds: memberRoleIds,
        }),
      );
    }
    return report(checks);
  } catch (error) {
    const refusal = toBudgetAppError(error);
    if (refusal) throw refusal;
    if (isTokenResolution(error, "bot_token_invalid")) return report([failed("bot_token")]);
    if (isTokenResolution(error, "guild_not_connected")) return { status: "not_connected" };
    if (isTokenResolution(error, "organization_suspended")) {
      return {
        status: "unknown",
        guildId,
        message: "This organization is suspended, so Guildgate makes no Discord calls for it. Contact support.",
      };
    }
    if (isDiscordFailure(error)) {
      return {
        status: "unknown",
        guildId,
        message: "Discord could not be reached to check the server. Try again in a minute.",
      };
    }
    throw error;
  }
}
