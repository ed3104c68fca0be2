// Who may decide from Discord: a member of the organization in Guildgate whose role holds applications:review
// (matched by the Discord user id of their User row), or a holder of one of the guild's reviewer roles (a setting).
// A reviewer-role holder without a Guildgate account gets a User row (no membership), so the decision and its audit
// row name a person, never an anonymous id.
import { recordAudit } from "@/lib/audit/record-audit";
import { db } from "@/lib/db";
import { sanitizeExternalText } from "@/lib/http/input";
import { createRateLimiter, type RateLimiter } from "@/lib/rate-limit";
import { can } from "@/lib/security/authorize";
import { noteOutsiderDenial } from "@/lib/security/denials";

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

/** How often a refused clicker gets a row in the organization's log (the shared limiter, so across processes). */
export const DISCORD_DENIAL_AUDIT_WINDOW_SECONDS = 600;

let auditWindow: RateLimiter | undefined;

function deniedAuditWindow(): RateLimiter {
  auditWindow ??= createRateLimiter({
    name: "discord-denial-audit",
    points: 1,
    durationSeconds: DISCORD_DENIAL_AUDIT_WINDOW_SECONDS,
    scope: "user",
    message: "This Discord user was refused recently.",
    // A flood of clicks from one user then costs no query at all in this process once their row is written.
    blockInMemory: true,
    // The throttle only saves rows: while its table is unreachable, counting in this process is good enough.
    fallbackToMemory: true,
  });
  return auditWindow;
}

/**
 * A refused click: counted and sampled to the security log like the guard's outsider denials (anyone in the guild
 * can click, as often as they like), and one `access.denied` row per (organization, Discord user) per window, so
 * the organization still sees who tried to decide from Discord without a database write per click.
 */
export async function recordDiscordDenial(options: RecordDiscordDenialOptions): Promise<void> {
  noteOutsiderDenial({ reason: "discord_not_reviewer", permission: "applications:review" });
  const window = await deniedAuditWindow().tryConsume(`${options.organizationId}:${options.discordUserId}`);
  if (!window.ok) return;
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
      // Tells the reader that later refusals of this user within the window are not listed one by one.
      oncePerSeconds: DISCORD_DENIAL_AUDIT_WINDOW_SECONDS,
    },
  });
}
