// Disconnecting: the bot leaves the guild (best effort, the outcome recorded), the connection row is reset to
// DISCONNECTED (one row per organization for its whole life, so a reconnect updates it), the bot-connect OAuth
// tokens are deleted and the token caches of every instance are invalidated.
import { recordAudit } from "@/lib/audit/record-audit";
import { deleteProviderTokens } from "@/lib/crypto/token-vault";
import { db as defaultDb, type Db } from "@/lib/db";
import { isDiscordApiError, isDiscordStatus, tokenResolutionCode } from "@/lib/discord/errors";
import { LOCK_STALE_AFTER_MS } from "@/lib/discord/connection-lock";
import { getGuildDiscordClient } from "@/lib/discord/guild-client";
import { invalidateTokenCache } from "@/lib/discord/token-resolver";
import { AppError } from "@/lib/errors/app-error";
import { notifyApiTokensChanged } from "@/lib/security/api-token-cache";

export type DisconnectBotOptions = {
  organizationId: string;
  userId: string | null;
  apiTokenId?: string | null;
  ip?: string | null;
  db?: Db;
};
export type DisconnectResult = { guildId: string | null; leftGuild: boolean | "not_in_guild"; leaveError?: string };

export async function disconnectBot(options: DisconnectBotOptions): Promise<DisconnectResult> {
  const client = options.db ?? defaultDb;
  const { organizationId } = options;
  const connection = await client.discordConnection.findUnique({ where: { organizationId } });
  if (!connection || connection.state === "DISCONNECTED") throw new AppError("not_found", "The bot is not connected.");
  const fresh = Date.now() - connection.stateUpdatedAt.getTime() < LOCK_STALE_AFTER_MS;
  if (connection.state === "CONNECTING" && fresh) {
    throw new AppError("conflict", "A connection is in progress. Try again in a minute.");
  }

  const result: DisconnectResult = { guildId: connection.guildId, leftGuild: false };
  if (connection.guildId) {
    try {
      // Through the resolver: a suspended organization or a token Discord refused makes no call.
      const { client: bot } = await getGuildDiscordClient({ guildId: connection.guildId });
      await bot.leaveGuild(connection.guildId);
      result.leftGuild = true;
    } catch (error) {
      // Best effort: a bot already removed by hand (404) is fine; anything else is recorded, not fatal.
      if (isDiscordStatus(error, 404)) result.leftGuild = "not_in_guild";
      else result.leaveError = leaveErrorOf(error);
    }
  }

  await client.$transaction(async (tx) => {
    const reset = await tx.discordConnection.updateMany({
      where: { organizationId, updatedAt: connection.updatedAt },
      data: {
        state: "DISCONNECTED",
        guildId: null,
        guildName: null,
        approvedRoleId: null,
        approvedRoleName: null,
        assignableRoleIds: [],
        botAddedAt: null,
        lockToken: null,
        connectionError: null,
        stateUpdatedAt: new Date(),
      },
    });
    if (reset.count !== 1) throw new AppError("conflict", "The connection changed meanwhile. Reload and try again.");
    await deleteProviderTokens({ organizationId, provider: "DISCORD_OAUTH", db: tx });
    await recordAudit({
      db: tx,
      organizationId,
      actor: { userId: options.userId, apiTokenId: options.apiTokenId },
      action: "bot.disconnect",
      targetType: "guild",
      targetId: connection.guildId ?? undefined,
      outcome: "SUCCESS",
      metadata: { leftGuild: result.leftGuild, ...(result.leaveError ? { leaveError: result.leaveError } : {}) },
      ip: options.ip,
    });
    if (connection.guildId) await invalidateTokenCache(connection.guildId, tx);
    await notifyApiTokensChanged(organizationId, tx);
  });
  return result;
}

function leaveErrorOf(error: unknown): string {
  if (isDiscordApiError(error)) return `discord_${error.status}`;
  const resolution = tokenResolutionCode(error);
  if (resolution === "organization_suspended" || resolution === "bot_token_invalid") return resolution;
  return error instanceof Error ? error.name : "error";
}
