// One error type for everything a caller may see. The code is stable (clients switch on it); the status comes
// from one table, so no route picks its own status for a given failure.

import { errorBrand } from "./brand";

export const ERROR_STATUS = {
  bad_request: 400,
  invalid_json: 400,
  /** Text with an unpaired UTF-16 surrogate. */
  invalid_text: 400,
  validation_failed: 400,
  /** The organization requires a reason to reject (issue 14). */
  reject_reason_required: 400,
  invalid_discord_user_id: 400,
  invalid_guild_id: 400,
  invalid_user_id: 400,
  invalid_role_id: 400,
  // A tenant-supplied id that is not a resource of the organization's connected guild (bot-connection/guild-resources.ts).
  channel_not_in_guild: 400,
  invalid_bot_token: 400,
  bot_application_mismatch: 400,
  unauthorized: 401,
  forbidden: 403,
  cross_origin: 403,
  role_not_assignable: 403,
  // Who may apply (src/lib/applicants/eligibility.ts); details.eligibleAt says when a refusal ends by itself.
  applicant_blocked: 403,
  account_too_new: 403,
  // A role carrying dangerous permissions (src/lib/discord/permissions.ts) that no OWNER allowed.
  role_dangerous: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  illegal_transition: 409,
  retry_limit_reached: 409,
  already_exists: 409,
  form_closed: 409,
  cooldown_active: 409,
  // Role assignment failures that need an admin (src/lib/applications/role-jobs/role-failures.ts).
  member_not_in_guild: 409,
  missing_permissions: 409,
  role_missing: 409,
  bot_token_invalid: 409,
  guild_not_connected: 409,
  organization_suspended: 409,
  last_owner: 409,
  // Resending a decision message (src/lib/notifications/resend.ts): only one that failed is sent again.
  message_already_sent: 409,
  message_not_failed: 409,
  /** A "your role follows" note once the role was given (or the approval ended): sending it now would be untrue. */
  message_outdated: 409,
  disconnect_first: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  // Refused locally: a share of Discord's invalid-request budget is spent (src/lib/discord/invalid-requests.ts).
  discord_budget_exhausted: 429,
  internal_error: 500,
  discord_error: 502,
  discord_unavailable: 502,
  discord_timeout: 502,
  discord_rejected: 502,
  service_unavailable: 503,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof ERROR_STATUS;

export type AppErrorOptions = {
  /** Safe, structured detail for the caller (field errors, limits). Never secrets or internal text. */
  details?: unknown;
  /** Seconds a client should wait, sent as Retry-After. */
  retryAfter?: number;
  cause?: unknown;
};

// Recognised by a brand in the process-wide symbol registry and a code from the table, never by `instanceof`: the
// dev server and the production build can hold two copies of this module, and an AppError thrown by one copy is
// not an instance of the other's class (a route would answer 500 for a 409).
const APP_ERROR_BRAND = errorBrand("app-error");

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details?: unknown;
  readonly retryAfter?: number;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = "AppError";
    this.code = code;
    this.status = ERROR_STATUS[code];
    this.details = options.details;
    this.retryAfter = options.retryAfter;
    APP_ERROR_BRAND.mark(this);
  }
}

/** An AppError made by any copy of this module: the brand and a code of the table. */
export function isAppError(error: unknown): error is AppError {
  if (APP_ERROR_BRAND.of(error) !== true) return false;
  const { code } = error as { code?: unknown };
  return typeof code === "string" && Object.hasOwn(ERROR_STATUS, code);
}
