// Why a role assignment failed, as a stable code and a sentence an admin can act on, and whether trying again
// later can help. Transient failures are retried with backoff; permanent ones fail the assignment at once.
import {
  discordRateLimitWaitMs,
  isDiscordApiError,
  isDiscordNetworkError,
  isDiscordTimeoutError,
  type TokenResolutionCode,
  tokenResolutionCode,
} from "@/lib/discord/errors";
import { RoleCallTimeout } from "@/lib/applications/role-jobs/role-gateway";

export const ROLE_FAILURES = {
  member_not_in_guild:
    "The applicant has not joined the Discord server yet. The role is given automatically when they join (checked for 7 days), or retry after they join.",
  missing_permissions:
    "The bot may not give this role: in Server Settings > Roles, move the bot's role above the approved role and make sure it has Manage Roles, then retry.",
  role_missing:
    "The approved role no longer exists in the Discord server: choose the approved role again in the bot settings, then retry.",
  bot_token_invalid: "Discord rejected the bot's token: reconnect the bot (or update its token), then retry.",
  guild_not_connected: "No Discord server is connected to this organization: connect the bot, then retry.",
  organization_suspended: "This organization is suspended, so its bot is not used.",
  role_dangerous:
    "The approved role carries dangerous permissions (such as Administrator or Manage Server) that no owner allowed: remove them from the role in Discord, or have an owner allow the role in the bot settings, then retry.",
  invalid_discord_user_id: "The applicant's Discord user ID is not valid, so no role can be given.",
  discord_rejected: "Discord refused the request; check the bot's setup in the server, then retry.",
  discord_unavailable: "Discord kept failing (server errors or rate limits) after 5 attempts; retry in a few minutes.",
  discord_timeout: "Discord did not answer within the time limit after 5 attempts; retry in a few minutes.",
  internal_error: "Something went wrong on our side while giving the role; retry, and contact support if it persists.",
} as const;

export type RoleFailureCode = keyof typeof ROLE_FAILURES;

export type RoleFailure = {
  code: RoleFailureCode;
  message: string;
  transient: boolean;
  /** Short technical context for the audit log (status and Discord code), never a token or a body. */
  detail?: string;
};

export function roleFailure(code: RoleFailureCode, transient = false, detail?: string): RoleFailure {
  return { code, message: ROLE_FAILURES[code], transient, detail };
}

/** Thrown by our own checks (pre-check, configuration) to fail with a given code. */
export class RoleAssignmentFailure extends Error {
  constructor(readonly failure: RoleFailure) {
    super(failure.message);
    this.name = "RoleAssignmentFailure";
  }
}

// Token-resolution errors by their stable `code` (not `name`: the production build renames classes).
const RESOLVER_FAILURES: Record<TokenResolutionCode, { code: RoleFailureCode; transient: boolean }> = {
  guild_not_connected: { code: "guild_not_connected", transient: false },
  organization_suspended: { code: "organization_suspended", transient: false },
  bot_token_invalid: { code: "bot_token_invalid", transient: false },
  token_resolution_unavailable: { code: "discord_unavailable", transient: true },
};

/**
 * How long to wait before calling again when `error` is a rate-limit answer or a call our client refused locally
 * (Discord's limits, the invalid-request budget): a wait, never a failed attempt. Null for every other error.
 */
export function rateLimitWaitMs(error: unknown): number | null {
  return discordRateLimitWaitMs(error);
}

export function classifyRoleError(error: unknown): RoleFailure {
  if (error instanceof RoleAssignmentFailure) return error.failure;
  if (error instanceof RoleCallTimeout)
    return roleFailure("discord_timeout", true, `timeout after ${error.timeoutMs} ms`);
  if (isDiscordTimeoutError(error)) return roleFailure("discord_timeout", true, `timeout after ${error.timeoutMs} ms`);
  if (isDiscordNetworkError(error)) return roleFailure("discord_unavailable", true, "network error");
  if (isDiscordApiError(error)) {
    const detail = `HTTP ${error.status}, Discord code ${error.code}`;
    if (error.status === 429 || error.status >= 500) return roleFailure("discord_unavailable", true, detail);
    if (error.code === 10007) return roleFailure("member_not_in_guild", false, detail);
    if (error.code === 10011) return roleFailure("role_missing", false, detail);
    if (error.code === 10013 || error.code === 50035) return roleFailure("invalid_discord_user_id", false, detail);
    // 10004 unknown guild, 50001 missing access: the bot is no longer in the server.
    if (error.code === 10004 || error.code === 50001) return roleFailure("guild_not_connected", false, detail);
    if (error.code === 50013 || error.status === 403) return roleFailure("missing_permissions", false, detail);
    if (error.status === 401) return roleFailure("bot_token_invalid", false, detail);
    return roleFailure("discord_rejected", false, detail);
  }
  const resolverCode = tokenResolutionCode(error);
  if (resolverCode) {
    const resolver = RESOLVER_FAILURES[resolverCode];
    return roleFailure(resolver.code, resolver.transient, resolverCode);
  }
  // Unknown: most likely our database or a bug; retrying is the safe default, the attempt limit bounds it.
  return roleFailure("internal_error", true, "unexpected error");
}
