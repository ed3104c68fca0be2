// Typed errors of every Discord call. None of them carries a token, a request body or a raw response: only the
// HTTP status, Discord's JSON error code and message, the method and the route path.
import { RateLimitedError } from "@/lib/rate-limit/errors";

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
  readonly status: number;
  readonly code: number;
  readonly method: string;
  readonly path: string;
  readonly oauthError?: string;
  readonly retryAfter?: number;

  constructor(init: DiscordApiErrorInit) {
    super(`Discord ${init.method} ${init.path} failed: ${init.status} ${init.oauthError ?? init.code} ${init.message}`);
    this.name = "DiscordApiError";
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
    super({
      status: 429,
      code: 0,
      message: `invalid request budget (${init.scope}) spent; call refused locally`,
      method: init.method,
      path: init.path,
      retryAfter: init.retryAfter,
    });
    this.name = "DiscordInvalidRequestBudgetError";
    this.scope = init.scope;
    this.explanation = init.explanation;
  }
}

/** The 429 `discord_budget_exhausted` a route answers for a budget refusal; undefined for anything else. */
export function toBudgetAppError(error: unknown): RateLimitedError | undefined {
  if (!(error instanceof DiscordInvalidRequestBudgetError)) return undefined;
  return new RateLimitedError({
    code: "discord_budget_exhausted",
    scope: error.scope,
    message: error.explanation,
    retryAfter: error.retryAfter ?? 1,
  });
}

export class DiscordTimeoutError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly timeoutMs: number,
  ) {
    super(`Discord ${method} ${path} timed out after ${timeoutMs} ms`);
    this.name = "DiscordTimeoutError";
  }
}

export class DiscordNetworkError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    reason: string,
  ) {
    super(`Discord ${method} ${path} failed: ${reason}`);
    this.name = "DiscordNetworkError";
  }
}

export type DiscordError = DiscordApiError | DiscordTimeoutError | DiscordNetworkError;

export function isDiscordError(error: unknown): error is DiscordError {
  return (
    error instanceof DiscordApiError || error instanceof DiscordTimeoutError || error instanceof DiscordNetworkError
  );
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
