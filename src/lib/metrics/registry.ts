// The Prometheus registry of this process and every series it exposes. ONE registry per process: the production
// build loads route handlers, instrumentation and the compiled worker as separate module instances, and each
// evaluating this file must not create a second registry (two registries would split every counter). So the
// registry and its metrics live on globalThis under Symbol.for("guildgate.metrics"), created by whichever module
// instance comes first; prom-client's own default registry is not used (it is per module instance of prom-client).
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "guildgate_" });
  const registers = [registry];
  return {
    registry,
    httpRequests: new Counter({
      name: "guildgate_http_requests_total",
      help: "HTTP requests through route(), by route template, method and status",
      labelNames: ["route", "method", "status"] as const,
      registers,
    }),
    httpDuration: new Histogram({
      name: "guildgate_http_request_duration_seconds",
      help: "Time from route() receiving a request to its response, by route template, method and status",
      labelNames: ["route", "method", "status"] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    roleJobs: new Counter({
      name: "guildgate_role_jobs_total",
      help: "Role-assignment job attempts by outcome (assigned, retrying, failed) and failure code",
      labelNames: ["outcome", "code"] as const,
      registers,
    }),
    queueDepth: new Gauge({
      name: "guildgate_job_queue_depth",
      help: "Jobs in the queue by task and state (ready, scheduled, running, failed), read from PostgreSQL at scrape time",
      labelNames: ["task", "state"] as const,
      registers,
    }),
    queueOldest: new Gauge({
      name: "guildgate_job_queue_oldest_ready_seconds",
      help: "Age of the oldest job that is due and not running (0 when none), read from PostgreSQL at scrape time",
      registers,
    }),
    discordRequests: new Counter({
      name: "guildgate_discord_requests_total",
      help: "Responses from Discord by route (ids replaced by :id), method and status",
      labelNames: ["route", "method", "status"] as const,
      registers,
    }),
    discordRateLimitWaits: new Histogram({
      name: "guildgate_discord_rate_limit_wait_seconds",
      help: "Rate-limit waits of the Discord client (a 429 or an exhausted bucket), by scope",
      labelNames: ["scope"] as const,
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    }),
    invalidRequests: new Counter({
      name: "guildgate_discord_invalid_requests_total",
      help: "Responses that count against Discord's invalid-request limit (401, 403, non-shared 429), by status",
      labelNames: ["status"] as const,
      registers,
    }),
    invalidBudgetUsed: new Gauge({
      name: "guildgate_discord_invalid_request_budget_used_ratio",
      help: "Share of the invalid-request budget used in the current window (1 = calls are refused locally)",
      registers,
    }),
    accessDenials: new Counter({
      name: "guildgate_access_denials_total",
      help: "Denied requests from outside an organization and refused review clicks in Discord, by reason",
      labelNames: ["reason"] as const,
      registers,
    }),
    runnerFetching: new Gauge({
      name: "guildgate_job_runner_fetching",
      help: "1 while this process's job runner gets jobs from PostgreSQL (a fetch or a job within the stall window), 0 while it cannot",
      labelNames: ["runner"],
      registers,
    }),
    runnerReplacements: new Counter({
      name: "guildgate_job_runner_replacements_total",
      help: "Job runners this process replaced, by reason (died: the runner ended; stalled: it could not fetch jobs)",
      labelNames: ["reason"] as const,
      registers,
    }),
    tokenCache: new Counter({
      name: "guildgate_token_cache_lookups_total",
      help: "Bot-token resolver lookups by result (hit, miss, stale); hit ratio = hit / all",
      labelNames: ["result"] as const,
      registers,
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

const KEY = Symbol.for("guildgate.metrics");

/** The process's metrics, created on first use. */
export function processMetrics(): Metrics {
  const holder = globalThis as unknown as Record<symbol, Metrics | undefined>;
  holder[KEY] ??= createMetrics();
  return holder[KEY];
}
