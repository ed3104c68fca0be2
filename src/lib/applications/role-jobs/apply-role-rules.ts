// Applies a set of role changes (add these roles, remove those) to one guild member and reports an outcome per role.
// Idempotent: the member's current roles are read first, and a role already present (add) or already absent (remove)
// is a success without any call, so a job replayed after a crash changes nothing at Discord. Every role is tried
// even when another fails, so a partial failure says exactly which role failed and why; a rate limit is thrown, so
// the job waits for it instead of recording a failure.
import { DISCORD_ERROR_CODES, isDiscordCode } from "@/lib/discord/errors";
import {
  classifyRoleError,
  rateLimitWaitMs,
  roleFailure,
  type RoleFailure,
  type RoleFailureCode,
} from "@/lib/applications/role-jobs/role-failures";
import { withDeadline, type GuildRoleInfo, type RoleGateway } from "@/lib/applications/role-jobs/role-gateway";

export type RoleChange = { roleId: string; action: "add" | "remove" };

export type RoleOutcomeResult = "added" | "removed" | "already_present" | "already_absent" | "member_left" | "failed";

export type RoleOutcome = {
  roleId: string;
  roleName: string | null;
  action: RoleChange["action"];
  result: RoleOutcomeResult;
  code?: RoleFailureCode;
  message?: string;
  transient?: boolean;
  detail?: string;
};

export type ApplyRoleRulesOptions = {
  gateway: RoleGateway;
  timeoutMs: number;
  guildId: string;
  userId: string;
  changes: readonly RoleChange[];
  /** X-Audit-Log-Reason of every call. */
  reason: string;
  /**
   * A member who is not in the guild: "fail" (an approval: member_not_in_guild) or "done" (a revocation: they have
   * none of the roles any more, so nothing is left to remove).
   */
  whenNotMember: "fail" | "done";
  /** Checked before a role is added; throwing RoleAssignmentFailure marks that role failed (e.g. role_dangerous). */
  checkAdd?: (role: GuildRoleInfo) => Promise<void>;
  /**
   * Read the member's roles first (default). A first attempt of a single added role may skip it: Discord's PUT is
   * itself idempotent, so the hot path of plain approvals stays one call; any later attempt (a replay after a crash
   * counts as one) reads first and changes nothing that is already done.
   */
  readMember?: boolean;
};

/** Whether an attempt must read the member first: always, except a first attempt that only adds one role. */
export function mustReadMember(attempt: number, changes: readonly RoleChange[]): boolean {
  return attempt > 1 || changes.length !== 1 || changes[0]!.action !== "add";
}

export type ApplyRoleRulesResult = { outcomes: RoleOutcome[]; failure: RoleFailure | null };

const VERB = { add: "give", remove: "remove" } as const;

function isUnknownRole(error: unknown): boolean {
  return isDiscordCode(error, DISCORD_ERROR_CODES.UNKNOWN_ROLE);
}

export async function applyRoleRules(options: ApplyRoleRulesOptions): Promise<ApplyRoleRulesResult> {
  const { gateway, timeoutMs, guildId, userId, reason } = options;
  const changes = dedupe(options.changes);
  const call = <T>(fn: (signal: AbortSignal) => Promise<T>) => withDeadline(timeoutMs, fn);

  let roles: GuildRoleInfo[] = [];
  // Null: not read (every change is made; Discord treats a present role's PUT and an absent role's DELETE as done).
  let memberRoles: Set<string> | null = null;
  try {
    roles = await call((signal) => gateway.getGuildRoles({ guildId, signal }));
    if (changes.some((c) => !roles.some((r) => r.id === c.roleId)))
      roles = await call((signal) => gateway.getGuildRoles({ guildId, signal, fresh: true }));
    if (options.readMember !== false)
      memberRoles = new Set(await call((signal) => gateway.getMemberRoleIds({ guildId, userId, signal })));
  } catch (error) {
    // A rate limit is a wait, not a failure: the caller reschedules without spending an attempt.
    if (rateLimitWaitMs(error) !== null) throw error;
    const failure = classifyRoleError(error);
    if (failure.code === "member_not_in_guild" && options.whenNotMember === "done") {
      return {
        outcomes: changes.map((c) => ({ ...c, roleName: nameOf(roles, c.roleId), result: "member_left" })),
        failure: null,
      };
    }
    const outcomes = changes.map((c): RoleOutcome => ({
      ...c,
      roleName: nameOf(roles, c.roleId),
      result: "failed",
      ...failureFields(failure),
    }));
    return { outcomes, failure };
  }

  const outcomes: RoleOutcome[] = [];
  for (const change of changes) {
    const role = roles.find((r) => r.id === change.roleId);
    const roleName = role?.name ?? null;
    const has = memberRoles?.has(change.roleId);
    if (change.action === "add" && has) {
      outcomes.push({ ...change, roleName, result: "already_present" });
      continue;
    }
    if (change.action === "remove" && ((memberRoles && !has) || !role)) {
      // Not on the member (or deleted from the guild, which takes it off everyone): nothing to remove.
      outcomes.push({ ...change, roleName, result: "already_absent" });
      continue;
    }
    if (!role) {
      outcomes.push({
        ...change,
        roleName,
        result: "failed",
        ...failureFields(roleFailure("role_missing", false, "role not in the guild")),
      });
      continue;
    }
    if (role.managed) {
      outcomes.push({
        ...change,
        roleName,
        result: "failed",
        ...failureFields(roleFailure("missing_permissions", false, "managed role")),
      });
      continue;
    }
    try {
      if (change.action === "add" && options.checkAdd) await options.checkAdd(role);
      const input = { guildId, userId, roleId: change.roleId, reason };
      await call((signal) =>
        change.action === "add"
          ? gateway.addGuildMemberRole({ ...input, signal })
          : gateway.removeGuildMemberRole({ ...input, signal }),
      );
      outcomes.push({ ...change, roleName, result: change.action === "add" ? "added" : "removed" });
    } catch (error) {
      // Waiting out a rate limit: roles already changed stay changed and read as done when the job comes back.
      if (rateLimitWaitMs(error) !== null) throw error;
      if (change.action === "remove" && isUnknownRole(error)) {
        outcomes.push({ ...change, roleName, result: "already_absent" });
        continue;
      }
      outcomes.push({ ...change, roleName, result: "failed", ...failureFields(classifyRoleError(error)) });
    }
  }
  return { outcomes, failure: summarize(outcomes) };
}

function dedupe(changes: readonly RoleChange[]): RoleChange[] {
  const seen = new Set<string>();
  return changes.filter((c) => {
    const key = `${c.action}:${c.roleId}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const nameOf = (roles: GuildRoleInfo[], id: string) => roles.find((r) => r.id === id)?.name ?? null;

function failureFields(failure: RoleFailure): Pick<RoleOutcome, "code" | "message" | "transient" | "detail"> {
  return {
    code: failure.code,
    message: failure.message,
    transient: failure.transient,
    ...(failure.detail ? { detail: failure.detail } : {}),
  };
}

/**
 * The failure of the whole set: null when every role succeeded. A permanent failure wins over a transient one (an
 * automatic retry cannot fix it); the message names the role and, when several failed, how many.
 */
export function summarize(outcomes: readonly RoleOutcome[]): RoleFailure | null {
  const failed = outcomes.filter((o) => o.result === "failed");
  if (!failed.length) return null;
  const first = failed.find((o) => !o.transient) ?? failed[0]!;
  const label = first.roleName ? `“${first.roleName}”` : `role ${first.roleId}`;
  const others =
    failed.length > 1 ? ` (${failed.length - 1} more role${failed.length > 2 ? "s" : ""} failed too.)` : "";
  const done = outcomes.length - failed.length;
  const partial = done > 0 ? ` The other ${done} role change${done > 1 ? "s" : ""} succeeded.` : "";
  const failure = roleFailure(
    first.code!,
    Boolean(first.transient),
    `${first.action} ${first.roleId}${first.detail ? `: ${first.detail}` : ""}`,
  );
  return { ...failure, message: `Could not ${VERB[first.action]} ${label}: ${failure.message}${others}${partial}` };
}
