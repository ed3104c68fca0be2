// The review channel's part of the health check: the channel still exists, is a text channel, and the bot may
// see it, send messages and embed links there (its roles and the channel's overwrites), each problem with a fix.
import type { APIRole, RESTGetAPIGuildChannelsResult } from "discord-api-types/v10";
import { channelPermissions, missingReviewPermissions } from "./channel-permissions";

/** Text (0) and announcement (5) channels take messages with embeds and buttons. */
export const REVIEW_CHANNEL_TYPES: readonly number[] = [0, 5];

export type ReviewChannelCheckOptions = {
  guildId: string;
  channelId: string;
  channels: RESTGetAPIGuildChannelsResult;
  roles: APIRole[];
  botUserId: string;
  botRoleIds: string[];
};

export type ReviewChannelCheck = { id: "review_channel"; ok: boolean; problem?: string; fix?: string };

export function reviewChannelCheck(options: ReviewChannelCheckOptions): ReviewChannelCheck {
  const channel = options.channels.find((c) => c.id === options.channelId);
  if (!channel || !REVIEW_CHANNEL_TYPES.includes(channel.type)) {
    return {
      id: "review_channel",
      ok: false,
      problem:
        "The review channel no longer exists (or is no longer a text channel), so new applications are not posted in Discord.",
      fix: "Pick another channel under Settings → Review in Discord.",
    };
  }
  const bits = channelPermissions({
    guildId: options.guildId,
    roles: options.roles,
    memberId: options.botUserId,
    memberRoleIds: options.botRoleIds,
    overwrites: "permission_overwrites" in channel ? (channel.permission_overwrites ?? []) : [],
  });
  const missing = missingReviewPermissions(bits);
  if (missing.length === 0) return { id: "review_channel", ok: true };
  const name = "name" in channel && channel.name ? `#${channel.name}` : "the review channel";
  return {
    id: "review_channel",
    ok: false,
    problem: `The bot lacks ${missing.join(", ")} in ${name}, so new applications cannot be posted there.`,
    fix: `In Discord, open ${name} → Edit Channel → Permissions, add the bot's role and allow ${missing.join(", ")} (or allow them for the bot's role under Server Settings → Roles).`,
  };
}
