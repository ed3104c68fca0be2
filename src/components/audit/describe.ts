// Audit events in words. Unknown actions fall back to their code, so a new action never breaks the log.
import type { AuditEntry } from "@/lib/audit/list-audit";

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

const ACTIONS: Record<string, string> = {
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
  "bot.credentials_set": "Own bot saved",
  "bot.credentials_removed": "Own bot removed",
  "bot.token_check": "Bot token checked with Discord",
  "question.create": "Question added",
  "question.update": "Question changed",
  "question.archive": "Question removed",
  "api_token.create": "API token created",
  "api_token.revoke": "API token revoked",
};

export function describeAction(e: Pick<AuditEntry, "action" | "metadata" | "outcome">): string {
  const m = e.metadata;
  const to = typeof m.to === "string" ? STATE_WORDS[m.to] ?? m.to : undefined;
  const base = ACTIONS[e.action] ?? e.action;
  const reason = typeof m.errorCode === "string" ? m.errorCode : typeof m.reason === "string" ? m.reason : typeof m.code === "string" ? m.code : undefined;
  const why = reason ? ` (${reason})` : "";
  if (e.action === "application.approve") return m.to === "APPROVED_PENDING_ROLE" ? "Approved, assigning the role" : "Approved";
  if (e.action === "application.reject" || e.action === "application.submit") return base;
  if (e.action === "application.transition" && to) return `Now ${to}${why}`;
  // Known actions already say what happened; the new state is worth adding only to unknown ones.
  if (to && !ACTIONS[e.action]) return `${base} (now ${to})${why}`;
  return `${base}${why}`;
}

export function describeActor(actor: AuditEntry["actor"]): string {
  if (actor.kind === "user") return actor.name;
  if (actor.kind === "token") return `API token “${actor.name}” (${actor.prefix}…)`;
  return "Guildgate";
}
