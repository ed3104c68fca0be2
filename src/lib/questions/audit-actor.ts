import type { AuditActor } from "@/lib/audit/record-audit";
import type { OrgContext } from "@/lib/security/guard";

/** The audit actor of an authorized request: the member, or the API token. */
export function auditActorOf(ctx: OrgContext): AuditActor {
  return ctx.actor.kind === "user" ? { userId: ctx.actor.userId } : { apiTokenId: ctx.actor.tokenId };
}
