// Length (past ~300 lines): every Discord error class and its guard belong together, so the brands stay in one place.
// Typed errors of every Discord call, and the one set of guards that recognises them. None of them carries a token,
// a request body or a raw response: only the HTTP status, Discord's JSON error code and message, the method and the
// route path.
//
// Recognised by a brand, never by `instanceof`: `next dev` and the production build can load this module (and
// @discordjs/rest) more than once in one process, and an error made by one copy is not an instance of the other
// copy's class (issue 23: a 404 became a "network error"). Each error carries `Symbol.for("guildgate.discord-error")`
// (one registry per process, whatever the copy) with its kind; @discordjs/rest's errors are recognised by their
// documented fields (./rest-errors.ts). eslint.config.mjs forbids `instanceof` on these classes everywhere else.
import { errorBrand } from "@/lib/errors/brand";
import { RateLimitedError } from "@/lib/rate-limit/errors";

const DISCORD_BRAND = errorBrand("discord-error");
const TOKEN_RESOLUTION_BRAND = errorBrand("token-resolution-error");

/** What a Discord failure is: an answer (or a local refusal shaped like one), a budget refusal, a timeout, a network failure. */
export type DiscordErrorKind = "api" | "budget" | "timeout" | "network";
const DISCORD_KINDS: ReadonlySet<unknown> = new Set<DiscordErrorKind>(["api", "budget", "timeout", "network"]);

/** The kind of a Discord error made by any copy of this module; undefined for anything else. */
export function discordErrorKind(error: unknown): DiscordErrorKind | undefined {
  const kind = DISCORD_BRAND.of(error);
  return DISCORD_KINDS.has(kind) ? (kind as DiscordErrorKind) : undefined;
}

/** Discord's JSON error codes the product tells apart (https://discord.com/developers/docs/topics/opcodes-and-status-codes). */
export const DISCORD_ERROR_CODES = {
  UNKNOWN_CHANNEL: 10003,
  UNKNOWN_GUILD: 10004,
  UNKNOWN_MEMBER: 10007,
  UNKNOWN_MESSAGE: 10008,
  UNKNOWN_ROLE: 10011,
  UNKNOWN_USER: 10013,
  MISSING_ACCESS: 50001,
  CANNOT_MESSAGE_USER: 50007,
  NON_TEXT_CHANNEL: 50008,
  MISSING_PERMISSIONS: 50013,
} as const;

export type DiscordApiErrorInit = {
  status: number;
  /** Discord's JSON error code (10004, 50013, ...); 0 when the body had none. */
  code: number;
  message: string;
  method: string;
  /** Path without query, e.g. /guilds/123/roles. */
  path: string;
  /** OAuth2 error (`invalid_grant`, `invalid_client`, ...) from the token endpoint. */
  oauthError?: string;
  /** Seconds to wait, for a 429. */
  retryAfter?: number;
};

export class DiscordApiError extends Error {
  readonly kind: "api" | "budget";
  readonly status: number;
  readonly code: number;
  readonly method: string;
  readonly path: string;
  readonly oauthError?: string;
  readonly retryAfter?: number;

  constructor(init: DiscordApiErrorInit, kind: "api" | "budget" = "api") {
    super(`Discord ${init.method} ${init.path} failed: ${init.status} ${init.oauthError ?? init.code} ${init.message}`);
    this.name = "DiscordApiError";
    this.kind = kind;
    DISCORD_BRAND.mark(this, kind);
    this.status = init.status;
    this.code = init.code;
    this.method = init.method;
    this.path = init.path;
    this.oauthError = init.oauthError;
    this.retryAfter = init.retryAfter;
  }

  get isRateLimited(): boolean {
    return this.status === 429;
  }
  get isNotFound(): boolean {
    return this.status === 404;
  }
  get isForbidden(): boolean {
    return this.status === 403;
  }
  get isUnauthorized(): boolean {
    return this.status === 401;
  }
  get isServerError(): boolean {
    return this.status >= 500;
  }
  /** 50013: the bot lacks a permission, or the role is above the bot's highest role. */
  get isMissingPermissions(): boolean {
    return this.code === DISCORD_ERROR_CODES.MISSING_PERMISSIONS;
  }
  /** 50007: the user's DMs are closed to the bot, or they share no server with it. */
  get isCannotMessageUser(): boolean {
    return this.code === DISCORD_ERROR_CODES.CANNOT_MESSAGE_USER;
  }
  get isInvalidGrant(): boolean {
    return this.oauthError === "invalid_grant";
  }
}

/** Whose share of the invalid-request budget a refusal is about. */
export type DiscordBudgetScope = "organization" | "user" | "address" | "platform";

export type DiscordInvalidRequestBudgetErrorInit = {
  method: string;
  path: string;
  /** Seconds until the share has room again. */
  retryAfter: number;
  scope: DiscordBudgetScope;
  /** Whose limit was hit, in words, for the person who asked. */
  explanation: string;
};

/**
 * Refused locally, no request sent: a share of Discord's invalid-request budget (401/403/429 per 10 minutes) is
 * spent (src/lib/discord/invalid-requests.ts). A 429 with retryAfter, so retrying callers wait; routes answer 429
 * `discord_budget_exhausted` (toBudgetAppError).
 */
export class DiscordInvalidRequestBudgetError extends DiscordApiError {
  readonly refusal = "discord_budget_exhausted" as const;
  readonly scope: DiscordBudgetScope;
  readonly explanation: string;

  constructor(init: DiscordInvalidRequestBudgetErrorInit) {
    super(
      {
        status: 429,
        code: 0,
        message: `invalid request budget (${init.scope}) spent; call refused locally`,
        method: init.method,
        path: init.path,
        retryAfter: init.retryAfter,
      },
      "budget",
    );
    this.name = "DiscordInvalidRequestBudgetError";
    this.scope = init.scope;
    this.explanation = init.explanation;
  }
}

/** The 429 `discord_budget_exhausted` a route answers for a budget refusal; undefined for anything else. */
export function toBudgetAppError(error: unknown): RateLimitedError | undefined {
  if (!isDiscordBudgetError(error)) return undefined;
  return new RateLimitedError({
    code: "discord_budget_exhausted",
    scope: error.scope,
    message: error.explanation,
    retryAfter: error.retryAfter ?? 1,
  });
}

export class DiscordTimeoutError extends Error {
  readonly kind = "timeout" as const;
  constructor(
    readonly method: string,
    readonly path: string,
    readonly timeoutMs: number,
  ) {
    super(`Discord ${method} ${path} timed out after ${timeoutMs} ms`);
    this.name = "DiscordTimeoutError";
    DISCORD_BRAND.mark(this, this.kind);
  }
}

export class DiscordNetworkError extends Error {
  readonly kind = "network" as const;
  constructor(
    readonly method: string,
    readonly path: string,
    reason: string,
  ) {
    super(`Discord ${method} ${path} failed: ${reason}`);
    this.name = "DiscordNetworkError";
    DISCORD_BRAND.mark(this, this.kind);
  }
}

export type DiscordError = DiscordApiError | DiscordTimeoutError | DiscordNetworkError;

/** A Discord answer (or a local refusal shaped like one: rate limit, budget, rejected token, bad body). */
export function isDiscordApiError(error: unknown): error is DiscordApiError {
  const kind = discordErrorKind(error);
  return (kind === "api" || kind === "budget") && typeof (error as { status?: unknown }).status === "number";
}
/** A call refused locally because a share of the invalid-request budget is spent. */
export function isDiscordBudgetError(error: unknown): error is DiscordInvalidRequestBudgetError {
  return discordErrorKind(error) === "budget" && isDiscordApiError(error);
}
export function isDiscordTimeoutError(error: unknown): error is DiscordTimeoutError {
  return discordErrorKind(error) === "timeout";
}
export function isDiscordNetworkError(error: unknown): error is DiscordNetworkError {
  return discordErrorKind(error) === "network";
}
export function isDiscordError(error: unknown): error is DiscordError {
  return discordErrorKind(error) !== undefined;
}

/** `isDiscordApiError` with this HTTP status. */
export function isDiscordStatus(error: unknown, status: number): error is DiscordApiError {
  return isDiscordApiError(error) && error.status === status;
}
/** `isDiscordApiError` with this JSON error code (DISCORD_ERROR_CODES). */
export function isDiscordCode(error: unknown, code: number): error is DiscordApiError {
  return isDiscordApiError(error) && error.code === code;
}
/** A 429 answer or a local refusal for a limit or the budget: the caller waits, it is not a failed attempt. */
export function isDiscordRateLimited(error: unknown): error is DiscordApiError {
  return isDiscordStatus(error, 429);
}

/** How long to wait after a rate-limit answer or refusal, in milliseconds (at least 1 s); null for anything else. */
export function discordRateLimitWaitMs(error: unknown): number | null {
  if (!isDiscordRateLimited(error)) return null;
  const seconds =
    typeof error.retryAfter === "number" && Number.isFinite(error.retryAfter) && error.retryAfter > 0
      ? error.retryAfter
      : 1;
  return Math.ceil(seconds * 1000);
}

/** Stable codes of the token-resolution errors (src/lib/discord/token-resolver.ts). */
export type TokenResolutionCode =
  "guild_not_connected" | "organization_suspended" | "bot_token_invalid" | "token_resolution_unavailable";
const TOKEN_RESOLUTION_CODES: ReadonlySet<unknown> = new Set<TokenResolutionCode>([
  "guild_not_connected",
  "organization_suspended",
  "bot_token_invalid",
  "token_resolution_unavailable",
]);

/** Why no bot token can be used for a guild. Branded like the Discord errors; classified by `code`. */
export abstract class TokenResolutionError extends Error {
  abstract readonly code: TokenResolutionCode;
  constructor(
    message: string,
    readonly guildId: string,
  ) {
    super(message);
    TOKEN_RESOLUTION_BRAND.mark(this, "token-resolution");
  }
}
/** No organization has this guild connected. */
export class GuildNotConnected extends TokenResolutionError {
  readonly code = "guild_not_connected";
  override name = "GuildNotConnected";
}
/** The guild's organization is suspended: no Discord call is made for it. */
export class OrganizationSuspended extends TokenResolutionError {
  readonly code = "organization_suspended";
  override name = "OrganizationSuspended";
}
/** The organization's own bot token is marked INVALID (Discord answered 401), missing or unreadable. */
export class BotTokenInvalid extends TokenResolutionError {
  readonly code = "bot_token_invalid";
  override name = "BotTokenInvalid";
}
/** The database is unreachable (and no recent entry can be served), or no platform token is configured. */
export class TokenResolutionUnavailable extends TokenResolutionError {
  readonly code = "token_resolution_unavailable";
  override name = "TokenResolutionUnavailable";
}

export function isTokenResolutionError(error: unknown): error is TokenResolutionError {
  return (
    TOKEN_RESOLUTION_BRAND.of(error) !== undefined && TOKEN_RESOLUTION_CODES.has((error as { code?: unknown }).code)
  );
}
/** The stable code of a token-resolution error made by any copy of the resolver; null for anything else. */
export function tokenResolutionCode(error: unknown): TokenResolutionCode | null {
  return isTokenResolutionError(error) ? error.code : null;
}
/** A token-resolution error with this code. */
export function isTokenResolution(error: unknown, code: TokenResolutionCode): error is TokenResolutionError {
  return tokenResolutionCode(error) === code;
}
/** Any failure of a Discord call or of finding the token for it. */
export function isDiscordFailure(error: unknown): boolean {
  return isDiscordError(error) || isTokenResolutionError(error);
}

/**
 * Whether fetch (or a library on it) gave up because a signal fired: our deadline (TimeoutError) or an abort. By
 * DOMException's legacy numeric code, which is stable, never by the error's name.
 */
export function isAbortOrTimeout(error: unknown): boolean {
  return (
    error instanceof DOMException && (error.code === DOMException.ABORT_ERR || error.code === DOMException.TIMEOUT_ERR)
  );
}
