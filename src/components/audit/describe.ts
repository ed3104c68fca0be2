// Audit events in words. Unknown actions fall back to their code, so a new action never breaks the log.
import type { AuditEntry } from "@/lib/audit/list-audit";

const STATE_WORDS: Record<string, string> = {
  PENDING: "pending",
  REJECTED: "rejected",
  APPROVED: "approved",
  APPROVED_PENDING_ROLE: "approved, assigning role",
  APPROVED_ROLE_ASSIGNED: "role assigned",
  APPROVED_ROLE_FAILED: "role assignment failed",
};

const ACTIONS: Record<string, string> = {
  "application.submit": "Application submitted",
  "application.submitted": "Application submitted",
  "application.approve": "Approved",
  "application.reject": "Rejected",
  "application.retry": "Role assignment retried",
  "access.denied": "Access denied",
  "organization.create": "Organization created",
  "organization.created": "Organization created",
  "bot.connect": "Bot connected",
  "bot.connected": "Bot connected",
  "bot.disconnect": "Bot disconnected",
  "bot.disconnected": "Bot disconnected",
  "api_token.create": "API token created",
  "api_token.revoke": "API token revoked",
};

export function describeAction(e: Pick<AuditEntry, "action" | "metadata" | "outcome">): string {
  const m = e.metadata;
  const to = typeof m.to === "string" ? STATE_WORDS[m.to] ?? m.to : undefined;
  const base = ACTIONS[e.action] ?? e.action;
  const reason = typeof m.errorCode === "string" ? m.errorCode : typeof m.reason === "string" ? m.reason : typeof m.code === "string" ? m.code : undefined;
  if (e.action === "application.transition" && to) return `Now ${to}${reason ? ` (${reason})` : ""}`;
  if (to && ACTIONS[e.action]) return `${base}: now ${to}${reason ? ` (${reason})` : ""}`;
  return reason ? `${base} (${reason})` : base;
}

export function describeActor(actor: AuditEntry["actor"]): string {
  if (actor.kind === "user") return actor.name;
  if (actor.kind === "token") return `API token “${actor.name}” (${actor.prefix}…)`;
  return "Guildgate";
}
