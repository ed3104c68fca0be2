// The internal assign-role call (POST /api/discord/assign-role): another service, holding an API token with the
// `roles:assign` scope, asks for a role in its organization's guild. The guild must be the organization's, and the
// role the approved role or one of its extra assignable roles, so a leaked token cannot grant an admin role, and
// not carrying dangerous permissions right now unless an OWNER allowed it (403 role_dangerous).
import { recordAudit } from "@/lib/audit/record-audit";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors/app-error";
import { defaultDiscordRoleGateway } from "@/lib/applications/role-jobs/discord-gateway";
import { classifyRoleError, rateLimitWaitMs, RoleAssignmentFailure } from "@/lib/applications/role-jobs/role-failures";
import { type RoleGateway, withDeadline } from "@/lib/applications/role-jobs/role-gateway";
import { assertRoleGrantable } from "@/lib/applications/role-jobs/role-safety";
import { DEFAULT_ROLE_SETTINGS } from "@/lib/applications/role-jobs/settings";

/** member_not_in_guild for a direct call: nothing is re-checked, the caller calls again once the user joined. */
export const DIRECT_NOT_MEMBER =
  "The user is not a member of the Discord server. Nothing is retried for a direct call: call again after they join.";

export type AssignRoleDirectOptions = {
  organizationId: string;
  guildId: string;
  userId: string;
  roleId: string;
  apiTokenId: string;
  ip?: string | null;
  /** The connection as read with the API token (withAuth); read here when not given. */
  connection?: { guildId: string | null; approvedRoleId: string | null; assignableRoleIds: string[] } | null;
  /** Test seam; default the process's gateway, whose role lists the role job shares. */
  gateway?: RoleGateway;
};

export type AssignRoleDirectResult = { assigned: true; guildId: string; userId: string; roleId: string };

export async function assignRoleDirect(options: AssignRoleDirectOptions): Promise<AssignRoleDirectResult> {
  const { organizationId, guildId, userId, roleId } = options;
  const connection =
    options.connection !== undefined
      ? options.connection
      : await db.discordConnection.findUnique({ where: { organizationId } });
  if (!connection?.guildId || connection.guildId !== guildId) {
    throw new AppError("forbidden", "This token's organization is not connected to that guild.");
  }
  // The approved role is always assignable; the extra roles add to it (they used to replace it, so choosing any
  // extra role made the approved role itself answer role_not_assignable).
  const assignable = [connection.approvedRoleId, ...connection.assignableRoleIds].filter(
    (id): id is string => id !== null,
  );
  if (!assignable.includes(roleId)) {
    throw new AppError("role_not_assignable", "That role is not one this organization lets API tokens assign.");
  }
  const audit = (outcome: "SUCCESS" | "FAILED", metadata: Record<string, unknown>) =>
    recordAudit({
      organizationId,
      actor: { apiTokenId: options.apiTokenId },
      action: "discord.assign_role",
      targetType: "discord_member",
      targetId: userId,
      outcome,
      metadata: { guildId, roleId, ...metadata },
      ip: options.ip,
    });
  const gateway = options.gateway ?? defaultDiscordRoleGateway();
  const call = <T>(fn: (signal: AbortSignal) => Promise<T>) => withDeadline(DEFAULT_ROLE_SETTINGS.timeoutMs, fn);
  const listed = async (fresh: boolean) =>
    (await call((signal) => gateway.getGuildRoles({ guildId, signal, fresh }))).find((r) => r.id === roleId);
  try {
    // The role's permissions from Discord's list, cached per guild for a burst (one GET, not one per call): one that
    // gained Administrator since it was chosen is refused. A role the cached list lacks (created since) or calls
    // dangerous (fixed since) is decided on a fresh read, so a cached list never makes a call fail that would pass.
    const role = (await listed(false)) ?? (await listed(true));
    if (role) {
      await assertRoleGrantable({ organizationId, role }).catch(async (error: unknown) => {
        if (!(error instanceof RoleAssignmentFailure)) throw error;
        const fresh = await listed(true);
        if (fresh) await assertRoleGrantable({ organizationId, role: fresh });
      });
    }
    await call((signal) =>
      gateway.addGuildMemberRole({
        guildId,
        userId,
        roleId,
        reason: `Guildgate API token ${options.apiTokenId}`,
        signal,
      }),
    );
  } catch (error) {
    const wait = rateLimitWaitMs(error);
    if (wait !== null) {
      // Discord's limit (or the invalid-request budget) for this bot: the caller may try again after the wait.
      await audit("FAILED", { discord: "rate_limited", retryAfterMs: wait });
      throw new AppError("rate_limited", "Discord's rate limit for this bot is reached; try again after Retry-After.", {
        retryAfter: Math.ceil(wait / 1000),
      });
    }
    const failure = classifyRoleError(error);
    await audit("FAILED", { discord: failure.code, detail: failure.detail });
    if (failure.code === "internal_error") throw error; // ours, not Discord's: a 500 without internal text
    // The job's sentence promises re-checks; a direct call gets none, so it says so (issue 14).
    const message = failure.code === "member_not_in_guild" ? DIRECT_NOT_MEMBER : failure.message;
    throw new AppError(failure.code, message, { details: { transient: failure.transient } });
  }
  await audit("SUCCESS", { discord: "assigned" });
  return { assigned: true, guildId, userId, roleId };
}
