// Timings of the role-assignment jobs. Production uses the defaults; tests shorten them.
import type { MemberRoleLimit } from "@/lib/applications/role-jobs/guild-schedule";
import { MEMBER_RECHECK, type MemberRecheckSchedule } from "@/lib/applications/role-jobs/recheck-window";
import type { RoleGateway } from "@/lib/applications/role-jobs/role-gateway";

export type RoleAssignmentSettings = {
  gateway: RoleGateway;
  /** For the Discord calls of one attempt together; a slower answer is a transient `discord_timeout`. */
  timeoutMs: number;
  /** Discord's member-role limit per guild, which the jobs plan ahead (guild-schedule.ts). */
  memberRoleLimit: MemberRoleLimit;
  /** A job whose guild slot is later than this is rescheduled to just before it; a nearer slot is slept for. */
  slotLeadMs: number;
  /** Automatic attempts per assignment run before APPROVED_ROLE_FAILED. */
  maxAttempts: number;
  /** Backoff before attempt n+1 is base * 2^(n-1), capped, with equal jitter. */
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** member_not_in_guild re-checks: these delays, then every `thenEveryMs`, for `forMs` after the failure. */
  memberRecheck: MemberRecheckSchedule;
  /** The sweeper leaves applications younger than this alone, and treats jobs locked longer than `staleLockMs` as dead. */
  sweepGraceMs: number;
  staleLockMs: number;
};

const MINUTE = 60_000;

export const DEFAULT_ROLE_SETTINGS: Omit<RoleAssignmentSettings, "gateway"> = {
  timeoutMs: 10_000,
  memberRoleLimit: { limit: 10, windowMs: 10_000, marginMs: 500 },
  // Longer than graphile-worker's 2 s poll: a job rescheduled for a later slot is found only by a poll (no
  // notification for future jobs), so it must come back at least one poll before its slot and sleep the rest.
  slotLeadMs: 2_500,
  maxAttempts: 5,
  backoffBaseMs: 2_000,
  backoffMaxMs: 60_000,
  memberRecheck: MEMBER_RECHECK,
  sweepGraceMs: MINUTE,
  staleLockMs: 5 * MINUTE,
};

/** Exponential backoff with equal jitter: half fixed, half random, so retries of many jobs spread out. */
export function backoffMs(
  settings: Pick<RoleAssignmentSettings, "backoffBaseMs" | "backoffMaxMs">,
  attempt: number,
  random = Math.random,
): number {
  const ceiling = Math.min(settings.backoffMaxMs, settings.backoffBaseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** A rate-limit wait plus up to 10% (at most 1 s) of jitter, so the jobs waiting on one limit do not return at once. */
export function rateLimitDelayMs(waitMs: number, random = Math.random): number {
  return waitMs + Math.round(random() * Math.min(1_000, waitMs / 10));
}

/**
 * Delay before re-check number `step` (0-based), or null once the re-check window has passed. The last check lands
 * on the window's end (not a step before it), so an applicant who joins any time before the date the dashboard and
 * the applicant's page promise still gets the role.
 */
export function recheckDelayMs(
  settings: Pick<RoleAssignmentSettings, "memberRecheck">,
  step: number,
  elapsedMs: number,
): number | null {
  const { stepsMs, thenEveryMs, forMs } = settings.memberRecheck;
  const delay = step < stepsMs.length ? stepsMs[step]! : thenEveryMs;
  const left = forMs - elapsedMs;
  return left <= 0 ? null : Math.min(delay, left);
}
