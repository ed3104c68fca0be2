// Test helpers for the shared limits: set limit settings for one test (the limiters are rebuilt from them), and
// restore the defaults afterwards.
import { resetDiscordClients } from "@/lib/discord/client";
import { resetEnvCache } from "@/lib/env";
import { resetRequestLimits } from "@/lib/rate-limit/request-limits";

export type LimitSettings = Partial<
  Record<
    | "DISCORD_INVALID_REQUEST_LIMIT"
    | "DISCORD_INVALID_REQUEST_SIGN_IN_RESERVE"
    | "DISCORD_INVALID_REQUEST_PER_ORG"
    | "DISCORD_INVALID_REQUEST_PER_USER"
    | "DISCORD_INVALID_REQUEST_PER_ADDRESS"
    | "DISCORD_GLOBAL_REQUESTS_PER_SECOND"
    | "RATE_LIMIT_SIGN_IN_PER_ADDRESS"
    | "RATE_LIMIT_APPLY_PER_ADDRESS"
    | "RATE_LIMIT_ORG_CREATE_PER_USER"
    | "RATE_LIMIT_BOT_READS_PER_ORG"
    | "TRUSTED_PROXY_HOPS",
    string
  >
>;

/** Applies `settings` until the returned function is called (use in a finally or afterEach). */
export function useLimits(settings: LimitSettings): () => void {
  const previous = Object.fromEntries(Object.keys(settings).map((k) => [k, process.env[k]]));
  Object.assign(process.env, settings);
  const apply = () => {
    resetEnvCache();
    resetDiscordClients();
    resetRequestLimits();
  };
  apply();
  return () => {
    for (const [key, value] of Object.entries(previous)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    apply();
  };
}

/** The most arrivals (epoch ms) that fall in any one sliding second, as Discord counts its global limit. */
export function peakInAnySecond(arrivals: number[]): number {
  const sorted = [...arrivals].sort((a, b) => a - b);
  let peak = 0;
  for (let start = 0, end = 0; end < sorted.length; end++) {
    while (sorted[end]! - sorted[start]! >= 1_000) start++;
    peak = Math.max(peak, end - start + 1);
  }
  return peak;
}
