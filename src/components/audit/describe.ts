// Audit events in words: what happened, to whom, and who did it. Unknown actions fall back to their code, so a new
// action never breaks the log.
import type { AuditEntry } from "@/lib/audit/list-audit";

/** "<targetType>:<targetId>" -> name (src/lib/dashboard/audit-subjects.ts). */
export type Subjects = Record<string, string>;

const STATE_WORDS: Record<string, string> = {
  PENDING: "pending",
  REJECTED: "rejected",
  APPROVED: "approved",
  APPROVED_PENDING_ROLE: "approved, assigning role",
  APPROVED_ROLE_ASSIGNED: "role assigned",
  APPROVED_ROLE_FAILED: "role assignment failed",
  REVOKED_PENDING_ROLE_REMOVAL: "revoked, removing roles",
  REVOKED: "revoked",
  REVOKED_ROLE_REMOVAL_FAILED: "role removal failed",
};

/** Every action the log can hold, as the filter and the entries name it. */
export const ACTIONS: Record<string, string> = {
  "application.submit": "Application submitted",
  "application.approve": "Approved",
  "application.reject": "Rejected",
  "application.retry_role": "Role assignment retried",
  "application.role_assigned": "Role given in Discord",
  "application.role_failed": "Role could not be given",
  "application.member_joined": "Applicant joined the server",
  "application.revoke": "Revoked",
  "application.roles_removed": "Roles removed in Discord",
  "application.role_removal_failed": "Roles could not be removed",
  "application.role_marked_handled": "Role marked as handled by hand",
  "application.reject_roles_applied": "Rejection roles changed in Discord",
  "application.reject_roles_failed": "Rejection roles could not be changed",
  "application.message_sent": "Decision message sent",
  "application.message_not_delivered": "Decision message not delivered",
  "applicant_settings.update": "Applicant settings changed",
  "form.create": "Form created",
  "form.update": "Form changed",
  "form.role_rule_update": "Form role rule changed",
  "question.reorder": "Questions reordered",
  "application.transition": "Status changed",
  "discord.assign_role": "Role assigned through the API",
  "access.denied": "Access denied",
  "auth.sign_in": "Signed in",
  "auth.sign_out_everywhere": "Signed out everywhere",
  "organization.create": "Organization created",
  "member.add": "Member added",
  "member.remove": "Member removed",
  "member.role_change": "Member role changed",
  "bot.connect": "Bot connected",
  "bot.disconnect": "Bot disconnected",
  "bot.roles_update": "Roles for approvals changed",
  "bot.review_settings_update": "Review in Discord changed",
  "bot.credentials_set": "Own bot saved",
  "bot.credentials_removed": "Own bot removed",
  "bot.token_check": "Bot token checked with Discord",
  "question.create": "Question added",
  "question.update": "Question changed",
  "question.archive": "Question removed",
  "api_token.create": "API token created",
  "api_token.revoke": "API token revoked",
};

const REASON_WORDS: Record<string, string> = {
  dms_closed: "the applicant's DMs are closed",
  channel_missing: "the log channel is gone",
  channel_not_in_guild: "the log channel is not in the server",
  recipient_not_verified: "the applicant is not in the server and did not sign in to apply",
  bot_unavailable: "the bot is not available",
  missing_permissions: "the bot lacks permission",
  member_not_in_guild: "not in the server yet",
  role_missing: "the role no longer exists",
  bot_token_invalid: "Discord refused the bot's token",
  guild_not_connected: "no server connected",
  rate_limited: "Discord rate limit",
  discord_unavailable: "Discord unavailable",
  timeout: "Discord did not answer in time",
  missing_permission: "no permission",
  invalid_state: "the link was not valid",
  cancelled: "cancelled on Discord",
};

const ROLE_WORDS: Record<string, string> = { OWNER: "owner", ADMIN: "admin", REVIEWER: "reviewer" };

/** An action's name for the filter: words, never the key. */
export function actionLabel(action: string): string {
  return ACTIONS[action] ?? action.replace(/[._]/g, " ");
}

function reasonOf(m: Record<string, unknown>): string | undefined {
  const code = [m.errorCode, m.reason, m.code, m.error].find((v): v is string => typeof v === "string");
  return code ? (REASON_WORDS[code] ?? code.replace(/_/g, " ")) : undefined;
}

/** Whom the entry is about: a name when the page resolved one, else what the metadata says. */
export function subjectOf(
  e: Pick<AuditEntry, "targetType" | "targetId" | "metadata">,
  subjects: Subjects = {},
): string | undefined {
  const named = e.targetType && e.targetId ? subjects[`${e.targetType}:${e.targetId}`] : undefined;
  if (named) return named;
  const m = e.metadata;
  if (typeof m.name === "string") return m.name;
  if (typeof m.applicantName === "string") return m.applicantName;
  if (typeof m.discordUserId === "string") return `Discord user ${m.discordUserId}`;
  return undefined;
}

export function describeAction(
  e: Pick<AuditEntry, "action" | "metadata" | "outcome" | "targetType" | "targetId">,
  subjects: Subjects = {},
): string {
  const m = e.metadata;
  const to = typeof m.to === "string" ? (STATE_WORDS[m.to] ?? m.to) : undefined;
  const reason = reasonOf(m);
  const why = reason ? ` (${reason})` : "";
  const who = subjectOf(e, subjects);
  const of = who ? ` ${who}` : "";
  switch (e.action) {
    case "application.submit":
      return who ? `Application from ${who}` : "Application submitted";
    case "application.approve":
      return `Approved${of}${m.source === "discord" ? " in Discord" : ""}${m.to === "APPROVED_PENDING_ROLE" ? ", assigning the role" : ""}`;
    case "application.reject":
      return `Rejected${of}${m.source === "discord" ? " in Discord" : ""}${typeof m.reason === "string" ? `: “${m.reason}”` : ""}`;
    case "application.message_sent":
    case "application.message_not_delivered": {
      const what =
        m.target === "log" ? "Decision posted in the log channel" : `Decision message to ${who ?? "the applicant"}`;
      return e.action === "application.message_sent"
        ? `${what}${m.target === "log" ? "" : " sent"}`
        : `${what}: not delivered${why}`;
    }
    case "application.retry_role":
      return who ? `Retried the role for ${who}` : "Role assignment retried";
    case "application.role_assigned":
      return who ? `Role given to ${who} in Discord` : "Role given in Discord";
    case "application.role_failed":
      return `${who ? `Role could not be given to ${who}` : "Role could not be given"}${why}`;
    case "application.member_joined":
      return who ? `${who} joined the server` : "Applicant joined the server";
    case "application.transition":
      return to ? `${who ? `${who}: now` : "Now"} ${to}${why}` : `Status changed${why}`;
    case "member.add":
      return `Added${of || " a member"}${typeof m.role === "string" ? ` as ${ROLE_WORDS[m.role] ?? m.role}` : ""}`;
    case "member.remove":
      return `Removed${of || " a member"}`;
    case "member.role_change":
      return `Changed${of ? `${of}'s` : " a member's"} role${typeof m.from === "string" && typeof m.to === "string" ? ` from ${ROLE_WORDS[m.from] ?? m.from} to ${ROLE_WORDS[m.to] ?? m.to}` : ""}`;
    case "discord.assign_role":
      return `Role assigned through the API${who ? ` to ${who}` : e.targetId && e.targetType === "discord_member" ? ` to Discord user ${e.targetId}` : ""}`;
    case "bot.connect":
      return e.outcome === "SUCCESS"
        ? `Bot connected${typeof m.guildName === "string" ? ` to ${m.guildName}` : ""}`
        : `Bot connection failed${why}`;
    case "api_token.create":
    case "api_token.revoke":
      return who ? `API token ${who} ${e.action === "api_token.create" ? "created" : "revoked"}` : ACTIONS[e.action]!;
    case "question.create":
    case "question.update":
    case "question.archive":
      return who
        ? `Question ${who} ${e.action === "question.create" ? "added" : e.action === "question.update" ? "changed" : "removed"}`
        : ACTIONS[e.action]!;
    default:
      // Known actions already say what happened; the new state is worth adding only to unknown ones.
      if (to && !ACTIONS[e.action]) return `${actionLabel(e.action)} (now ${to})${why}`;
      return `${ACTIONS[e.action] ?? e.action}${why}`;
  }
}

/** Who did it. An applicant's own submission is theirs, not Guildgate's (the web form acts without a session). */
export function describeActor(
  actor: AuditEntry["actor"],
  entry?: Pick<AuditEntry, "action" | "targetType" | "targetId" | "metadata">,
  subjects: Subjects = {},
): string {
  if (actor.kind === "user") return actor.name;
  if (actor.kind === "token") return `API token “${actor.name}” (${actor.prefix}…)`;
  if (entry?.action === "application.submit") {
    const applicant = subjectOf(entry, subjects);
    return applicant ? `${applicant} (applicant)` : "The applicant";
  }
  return "Guildgate";
}
