// People in the organization's guild to pick from when adding a member, so nobody has to find a Discord id by hand
// (GET /guilds/{guild}/members/search through the guild's own bot: name or nickname starts with the query).
import { db as defaultDb, type Db } from "@/lib/db";
import { isDiscordFailure } from "@/lib/discord/errors";
import { getGuildDiscordClient } from "@/lib/discord/guild-client";
import { AppError } from "@/lib/errors/app-error";

export type GuildMemberCandidate = { discordUserId: string; name: string; username: string };

export type SearchGuildMembersOptions = { organizationId: string; query: string; limit?: number; db?: Db };

export async function searchGuildMembers({
  organizationId,
  query,
  limit = 10,
  db = defaultDb,
}: SearchGuildMembersOptions): Promise<GuildMemberCandidate[]> {
  const connection = await db.discordConnection.findUnique({
    where: { organizationId },
    select: { guildId: true, state: true },
  });
  if (!connection?.guildId || connection.state !== "CONNECTED") {
    throw new AppError(
      "guild_not_connected",
      "Connect the bot to your server first; then people in it can be picked here.",
    );
  }
  let members;
  try {
    const { client } = await getGuildDiscordClient({ guildId: connection.guildId, timeoutMs: 5000 });
    members = await client.searchGuildMembers(connection.guildId, query, limit);
  } catch (error) {
    // Typing the id by hand still works; say so rather than fail with a 500.
    if (isDiscordFailure(error)) {
      throw new AppError(
        "discord_unavailable",
        "Discord could not list your server's members right now. Enter the Discord user id instead, or try again in a minute.",
      );
    }
    throw error;
  }
  return members.flatMap((m) =>
    m.user && !m.user.bot
      ? [{ discordUserId: m.user.id, name: m.nick ?? m.user.global_name ?? m.user.username, username: m.user.username }]
      : [],
  );
}
