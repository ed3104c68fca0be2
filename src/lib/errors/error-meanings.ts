// What each error code means, for integrators: the API description lists every code with its status and this
// sentence (src/lib/openapi/document.ts). `satisfies` makes a new code in the status table fail to compile until it
// is explained here.
import { ERROR_STATUS, type ErrorCode } from "./app-error";

export const ERROR_MEANING = {
  bad_request: "The request is malformed in a way no more specific code describes.",
  invalid_json: "The body is not valid JSON, or contains a NUL character.",
  invalid_text: "A text contains an unpaired UTF-16 surrogate.",
  validation_failed: "One or more fields are not valid; `details` lists each field (as you named it) and why.",
  reject_reason_required: "The organization requires a reason to reject.",
  invalid_discord_user_id: "The Discord user id is not a snowflake.",
  invalid_guild_id: "The guild id is not a snowflake.",
  invalid_user_id: "The user id is not a snowflake.",
  channel_not_in_guild: "The channel is not a channel of the organization's connected server, as the bot sees it.",
  invalid_role_id: "A role id is not a snowflake, or not a role the bot can manage; `details` says which.",
  invalid_bot_token: "Discord refused the bot token given.",
  bot_application_mismatch: "The bot token belongs to another Discord application than the one given.",
  unauthorized: "No credentials, or a bad, revoked or expired token or session.",
  forbidden: "The token lacks the scope, or the caller's role lacks the permission.",
  cross_origin: "A state-changing request from another site.",
  role_not_assignable: "The role is not one this token may grant.",
  applicant_blocked: "The applicant is on the organization's blocklist.",
  account_too_new:
    "The applicant's Discord account is younger than the form allows; `details.eligibleAt` says from when.",
  role_dangerous: "The role carries dangerous permissions and no owner allowed it.",
  not_found: "No such resource in the caller's organization.",
  method_not_allowed: "The route does not take this HTTP method.",
  conflict: "Someone changed the resource first (a lost race); read it again and retry.",
  illegal_transition: "The application's state does not allow this action.",
  retry_limit_reached: "The role change was retried the maximum number of times.",
  already_exists: "An open or approved application (or the named resource) already exists.",
  form_closed: "The form is closed to new applications.",
  cooldown_active: "The applicant was rejected recently; `details.eligibleAt` says when they may apply again.",
  member_not_in_guild: "The Discord user is not a member of the organization's server.",
  missing_permissions: "The bot lacks a Discord permission it needs; an admin must grant it.",
  role_missing: "The role no longer exists in the server.",
  bot_token_invalid: "Discord no longer accepts the organization's bot token; an admin must replace it.",
  guild_not_connected: "The organization has no connected Discord server.",
  organization_suspended: "The organization is suspended.",
  last_owner: "The last owner of an organization cannot leave or be demoted.",
  message_already_sent: "The decision message was delivered; it is not sent again.",
  message_not_failed: "The decision message is being sent, or waits for the role; only a failed one is resent.",
  message_outdated: "The note that the role follows is out of date: the role was given or the approval ended.",
  disconnect_first: "Disconnect the bot before this change.",
  payload_too_large: "The body is larger than the route accepts.",
  unsupported_media_type: "The body is not application/json.",
  rate_limited: "Too many requests for this limit; retry after the Retry-After header's seconds.",
  discord_budget_exhausted: "The caller's share of Discord's invalid-request budget is spent; retry after Retry-After.",
  internal_error: "A bug on our side; the request id helps us find it.",
  discord_error: "Discord answered with an error we could not act on.",
  discord_unavailable: "Discord failed (5xx or network); retry later.",
  discord_timeout: "Discord did not answer in time; retry later.",
  discord_rejected: "Discord refused the request.",
  service_unavailable: "A dependency (the database) is down; retry after Retry-After.",
} as const satisfies Record<ErrorCode, string>;

/** Every code with its status and meaning, one per line, for the API description. */
export function errorCodeReference(): string {
  return (Object.keys(ERROR_STATUS) as ErrorCode[])
    .map((code) => `- \`${code}\` (${ERROR_STATUS[code]}): ${ERROR_MEANING[code]}`)
    .join("\n");
}
