// The guild's text channels, for picking the log channel decisions are also posted to. Read through the guild's
// own bot like the role list (kept 30 s and limited per organization: src/lib/bot-connection/discord-reads.ts).
import { ChannelType } from "discord-api-types/v10";
import { cachedBotRead } from "@/lib/bot-connection/discord-reads";
import { db } from "@/lib/db";
import { isDiscordFailure, toBudgetAppError } from "@/lib/discord/errors";
import { getGuildDiscordClient } from "@/lib/discord/guild-client";
import { AppError } from "@/lib/errors/app-error";

export type TextChannelOption = { id: string; name: string; position: number };

export type ListLogChannelsOptions = { organizationId: string; userId?: string | null; fresh?: boolean };

export async function listLogChannels({
  organizationId,
  userId,
  fresh,
}: ListLogChannelsOptions): Promise<TextChannelOption[]> {
  const connection = await db.discordConnection.findUnique({
    where: { organizationId },
    select: { state: true, guildId: true },
  });
  if (!connection?.guildId || connection.state !== "CONNECTED")
    throw new AppError("conflict", "Connect the bot to a server first.");
  const guildId = connection.guildId;
  return cachedBotRead({
    key: `channels:${organizationId}:${guildId}`,
    organizationId,
    fresh,
    read: async () => {
      try {
        const { client } = await getGuildDiscordClient({ guildId, timeoutMs: 8_000, userId });
        const channels = await client.getGuildChannels(guildId);
        return channels
          .filter((c) => c.type === ChannelType.GuildText || c.type === ChannelType.GuildAnnouncement)
          .map((c) => ({
            id: c.id,
            name: "name" in c && c.name ? c.name : c.id,
            position: "position" in c && typeof c.position === "number" ? c.position : 0,
          }))
          .sort((a, b) => a.position - b.position);
      } catch (error) {
        const refusal = toBudgetAppError(error);
        if (refusal) throw refusal;
        if (isDiscordFailure(error))
          throw new AppError("discord_error", "Discord could not list the server's channels. Try again in a minute.", {
            cause: error,
          });
        throw error;
      }
    },
  });
}
