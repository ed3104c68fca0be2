// Review in Discord: the text channel where each new application is posted, and the guild roles whose holders may
// decide there without a Guildgate membership. Both are picked from the guild as the bot sees it (channels and
// roles read through the bot, kept 30 s and limited per organization like the role picker); a save is checked
// against Discord's current channels and roles.
import type { APIRole, RESTGetAPIGuildChannelsResult } from "discord-api-types/v10";
import { z } from "zod";
import { recordAudit, type AuditActor } from "@/lib/audit/record-audit";
import { db as defaultDb, type Db } from "@/lib/db";
import { isDiscordFailure, isTokenResolution, toBudgetAppError } from "@/lib/discord/errors";
import { getGuildDiscordClient } from "@/lib/discord/guild-client";
import { snowflake } from "@/lib/discord/ids";
import { AppError } from "@/lib/errors/app-error";
import { sanitizeExternalText } from "@/lib/http/input";
import { channelPermissions, missingReviewPermissions } from "./channel-permissions";
import { pickGuildChannel } from "./guild-resources";
import { cachedBotRead } from "./discord-reads";
import { REVIEW_CHANNEL_TYPES } from "./review-channel-check";

export const reviewSettingsInput = z.object({
  /** Null: stop posting new applications in Discord. */
  reviewChannelId: snowflake.nullable(),
  reviewerRoleIds: z.array(snowflake).max(25).default([]),
});
export type ReviewSettingsInput = z.infer<typeof reviewSettingsInput>;

export type ReviewChannelOption = {
  id: string;
  name: string;
  /** Permissions the bot lacks there (View Channel, Send Messages, Embed Links); empty when it can post. */
  missing: string[];
};
export type ReviewRoleOption = { id: string; name: string; position: number };
export type ReviewSettings = {
  reviewChannelId: string | null;
  reviewChannelName: string | null;
  reviewerRoleIds: string[];
  channels: ReviewChannelOption[];
  roles: ReviewRoleOption[];
};

type GuildView = { channels: ReviewChannelOption[]; roles: ReviewRoleOption[] };

async function connectedGuildOrThrow(organizationId: string, db: Db) {
  const connection = await db.discordConnection.findUnique({
    where: { organizationId },
    select: { state: true, guildId: true, reviewChannelId: true, reviewChannelName: true, reviewerRoleIds: true },
  });
  if (!connection || connection.state !== "CONNECTED" || !connection.guildId) {
    throw new AppError("conflict", "Connect the bot to a server first.");
  }
  return { ...connection, guildId: connection.guildId };
}

const positionOf = (c: object): number => ("position" in c && typeof c.position === "number" ? c.position : 0);

function guildView(
  channels: RESTGetAPIGuildChannelsResult,
  roles: APIRole[],
  guildId: string,
  bot: { id: string; roles: string[] },
): GuildView {
  return {
    channels: channels
      .filter((c) => REVIEW_CHANNEL_TYPES.includes(c.type))
      .sort((a, b) => positionOf(a) - positionOf(b))
      .map((c) => ({
        id: c.id,
        name: sanitizeExternalText("name" in c ? c.name : "", 100),
        missing: missingReviewPermissions(
          channelPermissions({
            guildId,
            roles,
            memberId: bot.id,
            memberRoleIds: bot.roles,
            overwrites: "permission_overwrites" in c ? (c.permission_overwrites ?? []) : [],
          }),
        ),
      })),
    roles: roles
      .filter((r) => r.id !== guildId && !r.managed)
      .sort((a, b) => b.position - a.position)
      .map((r) => ({ id: r.id, name: sanitizeExternalText(r.name, 100), position: r.position })),
  };
}

async function readGuild(guildId: string, userId: string | null): Promise<GuildView> {
  try {
    const { client: bot } = await getGuildDiscordClient({ guildId, timeoutMs: 8_000, userId });
    const [me, channels, roles] = await Promise.all([
      bot.getCurrentUser(),
      bot.getGuildChannels(guildId),
      bot.getGuildRoles(guildId),
    ]);
    const member = await bot.getGuildMember(guildId, me.id);
    return guildView(channels, roles, guildId, { id: me.id, roles: member.roles });
  } catch (error) {
    const refusal = toBudgetAppError(error);
    if (refusal) throw refusal;
    if (isTokenResolution(error, "organization_suspended"))
      throw new AppError("organization_suspended", "This organization is suspended; its server cannot be read.");
    if (isTokenResolution(error, "bot_token_invalid"))
      throw new AppError(
        "bot_token_invalid",
        "Discord no longer accepts the bot's token; enter a new one under Bring your own bot.",
      );
    if (isDiscordFailure(error))
      throw new AppError("discord_error", "Discord could not list the server's channels. Try again in a minute.", {
        cause: error,
      });
    throw error;
  }
}

function guildReviewView(options: { organizationId: string; guildId: string; userId: string | null; fresh?: boolean }) {
  return cachedBotRead({
    key: `review:${options.organizationId}:${options.guildId}`,
    organizationId: options.organizationId,
    fresh: options.fresh,
    read: () => readGuild(options.guildId, options.userId),
  });
}

export type GetReviewSettingsOptions = { organizationId: string; userId?: string | null; fresh?: boolean; db?: Db };

export async function getReviewSettings(options: GetReviewSettingsOptions): Promise<ReviewSettings> {
  const connection = await connectedGuildOrThrow(options.organizationId, options.db ?? defaultDb);
  const view = await guildReviewView({ ...options, guildId: connection.guildId, userId: options.userId ?? null });
  return {
    reviewChannelId: connection.reviewChannelId,
    reviewChannelName: connection.reviewChannelName,
    reviewerRoleIds: connection.reviewerRoleIds,
    ...view,
  };
}

export type UpdateReviewSettingsOptions = {
  organizationId: string;
  input: ReviewSettingsInput;
  actor: AuditActor & { ip: string | null };
  db?: Db;
};

export async function updateReviewSettings(options: UpdateReviewSettingsOptions): Promise<ReviewSettings> {
  const db = options.db ?? defaultDb;
  const { organizationId, input, actor } = options;
  const connection = await connectedGuildOrThrow(organizationId, db);
  const view = await guildReviewView({
    organizationId,
    guildId: connection.guildId,
    userId: actor.userId ?? null,
    fresh: true,
  });
  const channel = input.reviewChannelId
    ? pickGuildChannel({
        guildId: connection.guildId,
        channels: view.channels,
        channelId: input.reviewChannelId,
        field: "reviewChannelId",
      })
    : null;
  const reviewerRoleIds = [...new Set(input.reviewerRoleIds)];
  const unknown = reviewerRoleIds.filter((id) => !view.roles.some((r) => r.id === id));
  if (unknown.length) {
    throw new AppError("invalid_role_id", "A reviewer role is not a role of the connected server.", {
      details: { roleIds: unknown },
    });
  }
  await db.$transaction(async (tx) => {
    const { count } = await tx.discordConnection.updateMany({
      where: { organizationId, state: "CONNECTED", guildId: connection.guildId },
      data: {
        reviewChannelId: channel?.id ?? null,
        reviewChannelName: channel?.name ?? null,
        reviewerRoleIds,
      },
    });
    if (count !== 1) throw new AppError("conflict", "The bot connection changed meanwhile; reload and try again.");
    await recordAudit({
      db: tx,
      organizationId,
      actor: { userId: actor.userId, apiTokenId: actor.apiTokenId },
      action: "bot.review_settings_update",
      targetType: "guild",
      targetId: connection.guildId,
      outcome: "SUCCESS",
      metadata: { reviewChannelId: channel?.id ?? null, reviewerRoleIds },
      ip: actor.ip,
    });
  });
  return {
    reviewChannelId: channel?.id ?? null,
    reviewChannelName: channel?.name ?? null,
    reviewerRoleIds,
    ...view,
  };
}
