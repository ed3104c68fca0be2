// The member re-check window, one definition for the sweeper, the overview, the applications list and the
// applicant's page. Its own module, with nothing but the schedule and pure functions, because client components use
// it too: importing settings.ts would put the role jobs' whole settings into the page's JavaScript.

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** member_not_in_guild re-checks: these delays, then every `thenEveryMs`, for `forMs` after the attempt. */
export type MemberRecheckSchedule = { stepsMs: number[]; thenEveryMs: number; forMs: number };

export const MEMBER_RECHECK: MemberRecheckSchedule = {
  stepsMs: [2 * MINUTE, 10 * MINUTE, HOUR],
  thenEveryMs: 6 * HOUR,
  forMs: 7 * 24 * HOUR,
};

/** Production's schedule, the default of every function here: the dashboard shows the window the worker runs. */
const PRODUCTION = { memberRecheck: MEMBER_RECHECK };

/**
 * The window runs for `memberRecheck.forMs` from `roleAttemptedAt`, the attempt that found the applicant missing:
 * only a new role attempt moves it, whereas `updatedAt` moves with any later write to the row.
 */
export type MemberRecheckWindowOptions = {
  /** Production's by default: the dashboard shows the window the worker runs. */
  settings?: { memberRecheck: MemberRecheckSchedule };
  /** Epoch ms; the clock by default. */
  now?: number;
};

/** What decides whether an approval waits for the applicant to join. */
export type MemberRecheckSubject = {
  status: string;
  roleErrorCode: string | null;
  roleAttemptedAt?: Date | string | null;
};

export type MemberRecheckEndOptions = Pick<MemberRecheckWindowOptions, "settings"> & {
  roleAttemptedAt: Date | string | null | undefined;
};

/** When the window of an attempt ends, passed or not; null without an attempt. */
export function memberRecheckEnd({ roleAttemptedAt, settings = PRODUCTION }: MemberRecheckEndOptions): Date | null {
  if (!roleAttemptedAt) return null;
  return new Date(new Date(roleAttemptedAt).getTime() + settings.memberRecheck.forMs);
}

/** Attempts after this are inside the window: `roleAttemptedAt > cutoff`, the query form of memberRecheckUntil. */
export function memberRecheckCutoff({
  settings = PRODUCTION,
  now = Date.now(),
}: MemberRecheckWindowOptions = {}): Date {
  return new Date(now - settings.memberRecheck.forMs);
}

export type MemberRecheckUntilOptions = MemberRecheckWindowOptions & { application: MemberRecheckSubject };

/** The end of the window of an approval waiting for the applicant to join and still re-checked; null otherwise. */
export function memberRecheckUntil({
  application,
  settings,
  now = Date.now(),
}: MemberRecheckUntilOptions): Date | null {
  if (application.status !== "APPROVED_ROLE_FAILED" || application.roleErrorCode !== "member_not_in_guild") return null;
  const end = memberRecheckEnd({ roleAttemptedAt: application.roleAttemptedAt, settings });
  return end && end.getTime() > now ? end : null;
}

/**
 * memberRecheckUntil as a Prisma `where` (the caller adds organizationId). Its SQL twin is the sweeper's
 * recheckCandidatesSql, whose predicate is also applications_member_recheck_idx's.
 */
export function waitingToJoinWhere(options: MemberRecheckWindowOptions = {}) {
  return {
    status: "APPROVED_ROLE_FAILED",
    roleAssignmentStatus: "FAILED",
    roleErrorCode: "member_not_in_guild",
    roleAttemptedAt: { gt: memberRecheckCutoff(options) },
  } as const;
}
