// Why a decision message was not sent, by stable code: a refusal that trying again cannot change (DMs closed,
// no channel, no permission: recorded as not delivered, the decision stands), a transient failure (5xx, timeout,
// network: retried with backoff), or a rate limit (a wait, never an attempt). Classified through the guards of
// src/lib/discord/errors.ts (brand, `status`, `code`), never by name, message or instanceof.
import {
  DISCORD_ERROR_CODES,
  discordRateLimitWaitMs,
  isDiscordApiError,
  isDiscordNetworkError,
  isDiscordTimeoutError,
  tokenResolutionCode,
} from "@/lib/discord/errors";

export const MESSAGE_FAILURES = {
  dms_closed: "Not delivered: the applicant's DMs are closed (or they share no server with the bot).",
  unknown_user: "Not delivered: Discord does not know this user.",
  channel_missing: "Not posted: the log channel no longer exists. Pick another in Settings.",
  channel_not_in_guild:
    "Not posted: the log channel is not a text channel of the organization's server (any more). Pick another in Settings.",
  recipient_not_verified:
    "Not sent: this applicant neither signed in with Discord to apply nor is in the server, so the bot does not message them.",
  missing_permissions:
    "Not posted: the bot may not send messages there (it needs View Channel and Send Messages in the log channel).",
  bot_unavailable: "Not sent: the organization's bot is not connected, suspended, or its token was rejected.",
  discord_rejected: "Not sent: Discord refused the message.",
  discord_unavailable: "Not sent: Discord kept failing (server errors or timeouts) through every attempt.",
  internal_error: "Not sent: something went wrong on our side.",
} as const;

export type MessageFailureCode = keyof typeof MESSAGE_FAILURES;
export type MessageFailure = { code: MessageFailureCode; transient: boolean; detail?: string };

/** Discord's JSON error code for "Cannot send messages to this user". */
export const CANNOT_MESSAGE_USER = DISCORD_ERROR_CODES.CANNOT_MESSAGE_USER;

/** A rate-limit answer (or a call our client refused locally for a limit or the budget): wait this long. */
export function messageRateLimitWaitMs(error: unknown): number | null {
  return discordRateLimitWaitMs(error);
}

const TOKEN_CODES = new Set(["guild_not_connected", "organization_suspended", "bot_token_invalid"]);

export function classifyMessageError(error: unknown): MessageFailure {
  if (isDiscordTimeoutError(error)) return { code: "discord_unavailable", transient: true, detail: "timeout" };
  if (isDiscordNetworkError(error)) return { code: "discord_unavailable", transient: true, detail: "network" };
  if (isDiscordApiError(error)) {
    const detail = `HTTP ${error.status}, Discord code ${error.code}`;
    if (error.status >= 500 || error.status === 429) return { code: "discord_unavailable", transient: true, detail };
    if (error.isCannotMessageUser) return { code: "dms_closed", transient: false, detail };
    if (error.code === 10013) return { code: "unknown_user", transient: false, detail };
    if (error.code === 10003) return { code: "channel_missing", transient: false, detail };
    if (error.code === 50001 || error.code === 50013) return { code: "missing_permissions", transient: false, detail };
    if (error.status === 401 || error.code === 10004) return { code: "bot_unavailable", transient: false, detail };
    return { code: "discord_rejected", transient: false, detail };
  }
  const resolver = tokenResolutionCode(error);
  if (resolver) {
    return TOKEN_CODES.has(resolver)
      ? { code: "bot_unavailable", transient: false, detail: resolver }
      : { code: "discord_unavailable", transient: true, detail: resolver };
  }
  return { code: "internal_error", transient: true, detail: "unexpected error" };
}
