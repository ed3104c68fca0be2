// The REST client for a guild's own bot: resolves the token (typed errors from token-resolver.ts pass through) and
// returns a client for it whose calls spend the organization's (and the acting user's) share of the invalid-request
// budget. A 401 on that token marks a tenant token INVALID through the resolver.
import { createDiscordClient, type DiscordClient } from "./client";
import { type BotTokenSource, getGuildBotToken } from "./token-resolver";

export type GuildDiscordClient = { client: DiscordClient; source: BotTokenSource; organizationId: string };

export type GetGuildDiscordClientOptions = {
  guildId: string;
  timeoutMs?: number;
  /** The signed-in user the calls are made for, if any: their share is spent too. */
  userId?: string | null;
};

export async function getGuildDiscordClient(options: GetGuildDiscordClientOptions): Promise<GuildDiscordClient> {
  const { token, source, organizationId } = await getGuildBotToken(options.guildId);
  const caller = { purpose: "tenant" as const, organizationId, userId: options.userId ?? null };
  return {
    client: createDiscordClient({ token, kind: "Bot", timeoutMs: options.timeoutMs, caller }),
    source,
    organizationId,
  };
}
