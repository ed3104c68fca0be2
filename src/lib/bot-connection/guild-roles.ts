// The guild's roles as its bot sees them (the roles, and the bot's own member roles that decide what it may give),
// read for the role picker and for checking a form's role rule. Discord trouble becomes the AppError a route
// answers, the same for both.
import type { APIRole } from "discord-api-types/v10";
import { isDiscordFailure, isTokenResolution, toBudgetAppError } from "@/lib/discord/errors";
import { getGuildDiscordClient } from "@/lib/discord/guild-client";
import { AppError } from "@/lib/errors/app-error";

export type BotRoleView = { roles: APIRole[]; botRoleIds: string[] };

export type ReadBotRoleViewOptions = {
  guildId: string;
  /** The signed-in user the read is made for, if any: their share of Discord's invalid-request budget is spent too. */
  userId?: string | null;
};

export async function readBotRoleView({ guildId, userId }: ReadBotRoleViewOptions): Promise<BotRoleView> {
  try {
    const { client: bot } = await getGuildDiscordClient({ guildId, timeoutMs: 8_000, userId });
    const [me, roles] = await Promise.all([bot.getCurrentUser(), bot.getGuildRoles(guildId)]);
    const member = await bot.getGuildMember(guildId, me.id);
    return { roles, botRoleIds: member.roles };
  } catch (error) {
    throw roleReadError(error);
  }
}

/** What a failed read of the guild's roles tells the person who asked. */
function roleReadError(error: unknown): unknown {
  const refusal = toBudgetAppError(error);
  if (refusal) return refusal;
  if (isTokenResolution(error, "organization_suspended"))
    return new AppError("organization_suspended", "This organization is suspended; its server's roles cannot be read.");
  if (isTokenResolution(error, "bot_token_invalid"))
    return new AppError(
      "bot_token_invalid",
      "Discord no longer accepts the bot's token; enter a new one under Bring your own bot.",
    );
  if (isDiscordFailure(error))
    return new AppError("discord_error", "Discord could not list the server's roles. Try again in a minute.", {
      cause: error,
    });
  return error;
}
