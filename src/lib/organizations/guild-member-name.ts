// A new member's Discord name, asked of the organization's own guild through its bot (GET /guilds/{guild}/members/
// {user}), so the team list shows "Mia" instead of "Discord user 1200…" until that person first signs in. Best
// effort: any Discord or token problem leaves the placeholder, and adding the member still succeeds.
import { db as defaultDb, type Db } from "@/lib/db";
import { isDiscordFailure } from "@/lib/discord/errors";
import { getGuildDiscordClient } from "@/lib/discord/guild-client";
import { logger } from "@/lib/logger";

export type GuildMemberNameOptions = { organizationId: string; discordUserId: string; db?: Db; timeoutMs?: number };

/** The placeholder a member added by id carries until a name is known. */
export function placeholderName(discordUserId: string): string {
  return `Discord user ${discordUserId}`;
}

/** The server nickname, else the display name, else the user name; null when the guild cannot tell. */
export async function guildMemberName({
  organizationId,
  discordUserId,
  db = defaultDb,
  timeoutMs = 3000,
}: GuildMemberNameOptions): Promise<string | null> {
  const connection = await db.discordConnection.findUnique({
    where: { organizationId },
    select: { guildId: true, state: true },
  });
  if (!connection?.guildId || connection.state !== "CONNECTED") return null;
  try {
    const { client } = await getGuildDiscordClient({ guildId: connection.guildId, timeoutMs });
    const member = await client.getGuildMember(connection.guildId, discordUserId);
    const name = member.nick ?? member.user?.global_name ?? member.user?.username ?? null;
    return name ? name.slice(0, 100) : null;
  } catch (error) {
    // Not in the guild (404), a bot without access, an outage: the id stays the name for now.
    if (isDiscordFailure(error)) {
      logger.info(
        { organizationId, code: (error as { code?: unknown }).code ?? null },
        "guild member name not available",
      );
      return null;
    }
    throw error;
  }
}
