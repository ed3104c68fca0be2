// Who may decide from Discord: a member of the organization in Guildgate whose role holds applications:review
// (matched by the Discord user id of their User row), or a holder of one of the guild's reviewer roles (a setting).
// A reviewer-role holder without a Guildgate account gets a User row (no membership), so the decision and its audit
// row name a person, never an anonymous id.
import { recordAudit } from "@/lib/audit/record-audit";
import { db } from "@/lib/db";
import { sanitizeExternalText } from "@/lib/http/input";
import { can } from "@/lib/security/authorize";

export type DiscordClicker = { discordUserId: string; name: string; roleIds: string[] };

export type ResolveReviewerOptions = {
  organizationId: string;
  clicker: DiscordClicker;
  /** The guild's reviewer roles (DiscordConnection.reviewerRoleIds). */
  reviewerRoleIds: string[];
};

export type ReviewerResult =
  { allowed: true; userId: string; via: "membership" | "reviewer_role" } | { allowed: false; userId: string | null };

export async function resolveDiscordReviewer(options: ResolveReviewerOptions): Promise<ReviewerResult> {
  const { organizationId, clicker } = options;
  const user = await db.user.findUnique({
    where: { discordUserId: clicker.discordUserId },
    select: { id: true, memberships: { where: { organizationId }, select: { role: true } } },
  });
  const membership = user?.memberships[0];
  if (user && membership && can(membership.role, "applications:review")) {
    return { allowed: true, userId: user.id, via: "membership" };
  }
  const holdsReviewerRole = clicker.roleIds.some((id) => options.reviewerRoleIds.includes(id));
  if (!holdsReviewerRole) return { allowed: false, userId: user?.id ?? null };
  if (user) return { allowed: true, userId: user.id, via: "reviewer_role" };
  const created = await db.user.upsert({
    where: { discordUserId: clicker.discordUserId },
    create: { discordUserId: clicker.discordUserId, name: sanitizeExternalText(clicker.name, 100) || "Discord user" },
    update: {},
    select: { id: true },
  });
  return { allowed: true, userId: created.id, via: "reviewer_role" };
}

export type RecordDiscordDenialOptions = {
  organizationId: string;
  userId: string | null;
  discordUserId: string;
  applicationId: string;
  action: string;
};

/** One `access.denied` row per refused click: the organization sees who tried to decide from Discord. */
export async function recordDiscordDenial(options: RecordDiscordDenialOptions): Promise<void> {
  await recordAudit({
    organizationId: options.organizationId,
    actor: { userId: options.userId },
    action: "access.denied",
    targetType: "application",
    targetId: options.applicationId,
    outcome: "DENIED",
    metadata: {
      source: "discord",
      discordUserId: options.discordUserId,
      attempted: options.action,
      reason: "not_a_reviewer",
    },
  });
}
