// Delivery timings and limits. Production values here; tests pass short ones.
import { env } from "@/lib/env";

export type WebhookSettings = {
  /** Delay before attempt n+1 after n failures; past the last one the delivery is given up (status FAILED). */
  retryDelaysMs: readonly number[];
  /** Random extra delay, as a fraction of the delay, so failing endpoints' retries do not arrive in step. */
  jitter: number;
  timeoutMs: number;
  /** An endpoint is disabled after this many failed attempts in a row ... */
  disableAfterFailures: number;
  /** ... spanning at least this long (one bad minute does not disable it). */
  disableAfterMs: number;
  /** Deliver to private, loopback and link-local addresses (development and tests only). */
  allowPrivateDestinations: boolean;
  /** A pending delivery overdue by this long without a live job gets one again (the sweeper). */
  staleLockMs: number;
  /** How long the previous secret keeps signing after a rotation. */
  rotationOverlapMs: number;
  /** Deliveries in flight at once to one endpoint, across processes (endpoint-slots.ts). */
  maxInFlightPerEndpoint: number;
};

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** 15 s growing fourfold: 15 s, 1 min, 4 min, 16 min, ~1 h, ~4.3 h, ~17 h: about a day in all, 8 attempts. */
export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = Array.from({ length: 7 }, (_, i) => 15 * SECOND * 4 ** i);

export function defaultWebhookSettings(): WebhookSettings {
  return {
    retryDelaysMs: DEFAULT_RETRY_DELAYS_MS,
    jitter: 0.1,
    timeoutMs: 10 * SECOND,
    disableAfterFailures: 20,
    disableAfterMs: 24 * HOUR,
    allowPrivateDestinations: env.WEBHOOK_ALLOW_PRIVATE_DESTINATIONS ?? env.NODE_ENV !== "production",
    staleLockMs: 2 * MINUTE,
    rotationOverlapMs: 24 * HOUR,
    maxInFlightPerEndpoint: env.WEBHOOK_MAX_IN_FLIGHT_PER_ENDPOINT,
  };
}

/** The delay before the next attempt after `failures` failed ones, or null when the schedule is exhausted. */
export function nextDelayMs(
  settings: WebhookSettings,
  failures: number,
  random: () => number = Math.random,
): number | null {
  const base = settings.retryDelaysMs[failures - 1];
  if (base === undefined) return null;
  return Math.round(base * (1 + settings.jitter * random()));
}
