// Typed errors of every Discord call. None of them carries a token, a request body or a raw response: only the
// HTTP status, Discord's JSON error code and message, the method and the route path.

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
    return this.code === 50013;
  }
  get isInvalidGrant(): boolean {
    return this.oauthError === "invalid_grant";
  }
}

/** Refused locally: the process-wide invalid-request budget (401/403/429 per 10 minutes) is nearly spent. */
export class DiscordInvalidRequestBudgetError extends DiscordApiError {
  constructor(method: string, path: string, retryAfter: number) {
    super({ status: 429, code: 0, message: "invalid request budget nearly spent; call refused locally", method, path, retryAfter });
    this.name = "DiscordInvalidRequestBudgetError";
  }
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
  return error instanceof DiscordApiError || error instanceof DiscordTimeoutError || error instanceof DiscordNetworkError;
}
