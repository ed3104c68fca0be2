// Channel invites (issue 14: the bot creates the organization's invite link): POST /channels/{channel_id}/invites
// with Discord's rules: a guild channel (10003 otherwise), the bot in the guild (50001) with View Channel and Create
// Instant Invite (50013), max_age 0-604800 s and max_uses 0-100 (50035). `model.invites` keeps what was created.
import { randomBytes } from "node:crypto";
import { type ApiRoute, hasPermission, readJsonBody } from "./api";
import type { DiscordModel } from "./model";
import { renderUser } from "./render";
import { DISCORD_ERRORS, discordError, invalidFormBody, json } from "./responses";

export const CREATE_INSTANT_INVITE = 1n << 0n;

export type FakeInvite = {
  code: string;
  guildId: string;
  channelId: string;
  inviterId: string;
  maxAge: number;
  maxUses: number;
};

const invites = new WeakMap<DiscordModel, FakeInvite[]>();

/** The invites created in this model (cleared with it: a reset creates a new list). */
export function invitesOf(model: DiscordModel): FakeInvite[] {
  let list = invites.get(model);
  if (!list) invites.set(model, (list = []));
  return list;
}

export const INVITE_ROUTES: ApiRoute[] = [
  {
    method: "POST",
    template: "/channels/{channel_id}/invites",
    botOnly: true,
    handle: async (ctx) => {
      const found = ctx.model.findGuildChannel(ctx.params.channel_id!);
      if (!found) return discordError(DISCORD_ERRORS.UNKNOWN_CHANNEL);
      const { guild, channel } = found;
      if (!guild.members.has(ctx.principal.user.id) || !hasPermission(ctx, guild, 1n << 10n))
        return discordError(DISCORD_ERRORS.MISSING_ACCESS);
      if (!hasPermission(ctx, guild, CREATE_INSTANT_INVITE)) return discordError(DISCORD_ERRORS.MISSING_PERMISSIONS);
      const body = await readJsonBody(ctx.request);
      if (body instanceof Response) return body;
      const maxAge = body.max_age === undefined ? 86_400 : Number(body.max_age);
      const maxUses = body.max_uses === undefined ? 0 : Number(body.max_uses);
      if (!Number.isInteger(maxAge) || maxAge < 0 || maxAge > 604_800)
        return invalidFormBody("max_age", "NUMBER_TYPE_MAX", "int value should be less than or equal to 604800.");
      if (!Number.isInteger(maxUses) || maxUses < 0 || maxUses > 100)
        return invalidFormBody("max_uses", "NUMBER_TYPE_MAX", "int value should be less than or equal to 100.");
      const code = randomBytes(6).toString("base64url").replace(/[-_]/g, "x").slice(0, 8);
      invitesOf(ctx.model).push({
        code,
        guildId: guild.id,
        channelId: channel.id,
        inviterId: ctx.principal.user.id,
        maxAge,
        maxUses,
      });
      const created = new Date();
      return json({
        type: 0,
        code,
        inviter: renderUser(ctx.principal.user),
        max_age: maxAge,
        created_at: created.toISOString(),
        expires_at: maxAge ? new Date(created.getTime() + maxAge * 1000).toISOString() : null,
        guild: {
          id: guild.id,
          name: guild.name,
          splash: null,
          banner: null,
          description: null,
          icon: guild.icon,
          features: [],
          verification_level: 0,
          vanity_url_code: null,
          nsfw_level: 0,
          nsfw: false,
          premium_subscription_count: 0,
        },
        guild_id: guild.id,
        channel: { id: channel.id, type: channel.type, name: channel.name },
        uses: 0,
        max_uses: maxUses,
        temporary: false,
      });
    },
  },
];
