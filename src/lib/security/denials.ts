// Denials of callers who are not members of an organization (signed out, another tenant's user, a cross-site
// request, a dead API token). Anyone can cause them at will, so they must not write into an organization's audit
// log (an outsider could fill another tenant's "Recent activity") or write rows at all: they are counted per
// reason (a metric) and logged as a sampled, size-bounded security log line (at most one per reason per
// LOG_INTERVAL_MS per process, carrying how many were suppressed), whose retention is the log pipeline's.
import { logger } from "@/lib/logger";
import { metrics } from "@/lib/metrics";

export const OUTSIDER_DENIAL_REASONS = ["unauthenticated", "cross_origin", "not_member", "invalid_token"] as const;
export type OutsiderDenialReason = (typeof OUTSIDER_DENIAL_REASONS)[number];
/**
 * Everything counted here: the guard's outsider reasons, and review buttons in Discord clicked by someone who may
 * not decide (anyone in the guild can click them; the organization's log gets a throttled row, reviewer.ts).
 */
export const COUNTED_DENIAL_REASONS = [...OUTSIDER_DENIAL_REASONS, "discord_not_reviewer"] as const;
export type CountedDenialReason = (typeof COUNTED_DENIAL_REASONS)[number];

const LOG_INTERVAL_MS = 10_000;
const MAX_PATH = 200;

// Per-process counters, like any metrics counter (each process is scraped on its own); not shared state.
const counts = new Map<CountedDenialReason, number>();
const lastLogged = new Map<CountedDenialReason, { at: number; suppressed: number }>();

export type NoteOutsiderDenialOptions = {
  reason: CountedDenialReason;
  method?: string;
  path?: string;
  permission?: string;
};

/** Counts one outsider denial and logs it unless one of the same reason was logged in the last 10 seconds. */
export function noteOutsiderDenial(options: NoteOutsiderDenialOptions): void {
  counts.set(options.reason, (counts.get(options.reason) ?? 0) + 1);
  metrics.accessDenial(options.reason);
  const now = Date.now();
  const last = lastLogged.get(options.reason);
  if (last && now - last.at < LOG_INTERVAL_MS) {
    last.suppressed += 1;
    return;
  }
  lastLogged.set(options.reason, { at: now, suppressed: 0 });
  logger.info(
    {
      security: "access.denied",
      reason: options.reason,
      method: options.method?.slice(0, 10),
      path: options.path?.slice(0, MAX_PATH),
      permission: options.permission,
      suppressedSinceLast: last?.suppressed ?? 0,
    },
    "outsider request denied",
  );
}

/** Denials this process has counted, by reason (the same counts as `guildgate_access_denials_total`, synchronously). */
export function outsiderDenialCounts(): Record<CountedDenialReason, number> {
  return Object.fromEntries(COUNTED_DENIAL_REASONS.map((r) => [r, counts.get(r) ?? 0])) as Record<
    CountedDenialReason,
    number
  >;
}
