// The organization's invite link, created by its bot for a chosen channel (POST /channels/{id}/invites: never
// expires, unlimited uses) and saved as the invite applicants see. Entering a link by hand does the same job.
import { z } from "zod";
import type { AuditActor } from "@/lib/audit/record-audit";
import { db } from "@/lib/db";
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
  const connection = await db.discordConnection.findUnique({
    where: { organizationId },
    select: { state: true, guildId: true },
  });
  if (!connection?.guildId || connection.state !== "CONNECTED")
    throw new AppError("conflict", "Connect the bot to a server first.");
  let code: string;
  try {
    const { client } = await getGuildDiscordClient({
      guildId: connection.guildId,
      timeoutMs: 8_000,
      userId: actor.userId,
    });
    const invite = await client.createChannelInvite(
      input.channelId,
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
  return updateApplicantSettings({ organizationId, input: { inviteUrl: `https://discord.gg/${code}` }, actor, ip });
}
