// The REST client for a guild's own bot: resolves the token (typed errors from token-resolver.ts pass through) and
// returns the cached client for it. A 401 on that client marks a tenant token INVALID through the resolver.
import { createDiscordClient, type DiscordClient } from "./client";
import { type BotTokenSource, getGuildBotToken } from "./token-resolver";

export type GuildDiscordClient = { client: DiscordClient; source: BotTokenSource; organizationId: string };

export type GetGuildDiscordClientOptions = { guildId: string; timeoutMs?: number };

export async function getGuildDiscordClient(options: GetGuildDiscordClientOptions): Promise<GuildDiscordClient> {
  const { token, source, organizationId } = await getGuildBotToken(options.guildId);
  return { client: createDiscordClient({ token, kind: "Bot", timeoutMs: options.timeoutMs }), source, organizationId };
}
