// What other modules call to record something. Each helper is cheap and never throws: a metric must not break the
// request or the job it describes.
import { processMetrics } from "./registry";

export type HttpRequestSample = { route: string; method: string; status: number; seconds: number };
export type RoleJobSample = { outcome: "assigned" | "retrying" | "failed"; code?: string };
export type DiscordRequestSample = { route: string; method: string; status: number };
export type RateLimitWaitSample = { scope: string; seconds: number };
export type InvalidBudgetSample = { used: number; limit: number };
export type TokenCacheResult = "hit" | "miss" | "stale";

const SNOWFLAKE_SEGMENT = /\/\d{15,21}(?=\/|$)/g;

/** A Discord path with ids replaced, so a label does not grow with the number of guilds and users. */
export function discordRouteLabel(path: string): string {
  return path.split("?")[0]!.replace(SNOWFLAKE_SEGMENT, "/:id");
}

function safely(record: () => void): void {
  try {
    record();
  } catch {
    // A bad label value must never surface in the caller.
  }
}

export const metrics = {
  httpRequest(sample: HttpRequestSample): void {
    safely(() => {
      const labels = { route: sample.route, method: sample.method, status: String(sample.status) };
      processMetrics().httpRequests.inc(labels);
      processMetrics().httpDuration.observe(labels, sample.seconds);
    });
  },
  roleJob(sample: RoleJobSample): void {
    safely(() => processMetrics().roleJobs.inc({ outcome: sample.outcome, code: sample.code ?? "" }));
  },
  discordRequest(sample: DiscordRequestSample): void {
    safely(() =>
      processMetrics().discordRequests.inc({
        route: discordRouteLabel(sample.route),
        method: sample.method,
        status: String(sample.status),
      }),
    );
  },
  rateLimitWait(sample: RateLimitWaitSample): void {
    safely(() => processMetrics().discordRateLimitWaits.observe({ scope: sample.scope }, sample.seconds));
  },
  invalidRequest(status: number): void {
    safely(() => processMetrics().invalidRequests.inc({ status: String(status) }));
  },
  invalidRequestBudget(sample: InvalidBudgetSample): void {
    safely(() =>
      processMetrics().invalidBudgetUsed.set(sample.limit > 0 ? Math.min(1, sample.used / sample.limit) : 0),
    );
  },
  accessDenial(reason: string): void {
    safely(() => processMetrics().accessDenials.inc({ reason }));
  },
  runnerFetching(runner: string, live: boolean): void {
    safely(() => processMetrics().runnerFetching.set({ runner }, live ? 1 : 0));
  },
  runnerReplaced(reason: "died" | "stalled"): void {
    safely(() => processMetrics().runnerReplacements.inc({ reason }));
  },
  tokenCache(result: TokenCacheResult): void {
    safely(() => processMetrics().tokenCache.inc({ result }));
  },
};
