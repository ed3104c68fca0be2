// The organization's invite link, created by its bot for a chosen channel (POST /channels/{id}/invites: never
// expires, unlimited uses) and saved as the invite applicants see. The channel must be one of the organization's
// guild (bot-connection/guild-resources.ts). Entering a link by hand does the same job.
import { z } from "zod";
import type { AuditActor } from "@/lib/audit/record-audit";
import { resolveGuildChannel, type GuildChannel } from "@/lib/bot-connection/guild-resources";
import { DISCORD_ERROR_CODES, isDiscordApiError, isDiscordFailure, toBudgetAppError } from "@/lib/discord/errors";
import { getGuildDiscordClient } from "@/lib/discord/guild-client";
import { snowflake } from "@/lib/discord/ids";
import { AppError } from "@/lib/errors/app-error";
import { updateApplicantSettings, type ApplicantSettingsView } from "./settings";

export const createInviteInput = z.strictObject({ channelId: snowflake });
export type CreateInviteInput = z.infer<typeof createInviteInput>;

export type CreateBotInviteOptions = {
  organizationId: string;
  input: CreateInviteInput;
  actor: AuditActor;
  ip?: string | null;
};

export async function createBotInvite({
  organizationId,
  input,
  actor,
  ip,
}: CreateBotInviteOptions): Promise<ApplicantSettingsView> {
  // Only into a channel of the organization's own guild: the platform bot can create invites in other guilds too.
  const channel = await resolveGuildChannel({
    organizationId,
    channelId: input.channelId,
    use: "invite",
    userId: actor.userId ?? null,
    field: "channelId",
  });
  const code = await inviteInto(channel, actor.userId ?? null);
  return updateApplicantSettings({ organizationId, input: { inviteUrl: `https://discord.gg/${code}` }, actor, ip });
}

/** Takes a resolved channel, never a bare id (issue 23). */
async function inviteInto(channel: GuildChannel, userId: string | null): Promise<string> {
  let code: string;
  try {
    const { client } = await getGuildDiscordClient({
      guildId: channel.guildId,
      timeoutMs: 8_000,
      userId,
    });
    const invite = await client.createChannelInvite(
      channel.id,
      { max_age: 0, max_uses: 0, unique: false },
      { reason: "Guildgate: invite link for approved applicants" },
    );
    code = invite.code;
  } catch (error) {
    const refusal = toBudgetAppError(error);
    if (refusal) throw refusal;
    if (isDiscordApiError(error)) {
      if (error.code === DISCORD_ERROR_CODES.MISSING_PERMISSIONS || error.code === DISCORD_ERROR_CODES.MISSING_ACCESS)
        throw new AppError(
          "missing_permissions",
          "The bot may not create invites in that channel: give its role Create Invite there (or paste a link yourself).",
        );
      if (error.code === DISCORD_ERROR_CODES.UNKNOWN_CHANNEL)
        throw new AppError("bad_request", "That channel is not in the server any more; pick another.");
    }
    if (isDiscordFailure(error))
      throw new AppError("discord_error", "Discord could not create the invite. Try again in a minute.", {
        cause: error,
      });
    throw error;
  }
  return code;
}
