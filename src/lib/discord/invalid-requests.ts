// Discord bans the server's address for a while after 10,000 invalid requests (401, 403, and 429 except
// shared-scope 429s) in 10 minutes, counted across every token we use. The count is shared by every process and
// module instance through PostgreSQL (src/lib/rate-limit/), and split so no one can spend it for everyone:
// - the platform-wide count, in one-minute windows of LIMIT/11 each, so any 10 minutes, wherever they start
//   (they overlap at most 11 windows), stay under LIMIT;
// - a reserve of it that only admin and applicant sign-in may use, so tenants cannot lock everyone out;
// - a share per organization, per signed-in user and per client address (anonymous paths), per 10 minutes.
// Calls are refused locally (DiscordInvalidRequestBudgetError, a 429) once the caller's share or the platform's
// part is spent.
import { env } from "@/lib/env";
import { logger } from "@/lib/logger";
import { createRateLimiter, type RateLimiter } from "@/lib/rate-limit";
import { type DiscordBudgetScope, DiscordInvalidRequestBudgetError } from "./errors";

/** On whose behalf a Discord call is made: whose share of the invalid-request budget it spends. */
export type DiscordCaller = {
  /** "sign-in": admin or applicant sign-in, which may use the reserved part of the budget. */
  purpose?: "sign-in" | "tenant";
  organizationId?: string | null;
  userId?: string | null;
  /** The client address, for anonymous paths (clientIp from src/lib/security/origin.ts). */
  address?: string | null;
};
import { metrics } from "@/lib/metrics";

const WINDOW_SECONDS = 600;
const PLATFORM_KEY = "all";

type Budget = {
  platform: RateLimiter;
  /** Platform count per minute at which calls other than sign-in are refused. */
  tenantCeiling: number;
  organization: RateLimiter;
  user: RateLimiter;
  address: RateLimiter;
};

let budget: Budget | undefined;
/** Platform counts this process is still writing: awaited before a check, so this process never reads behind itself. */
const pending = new Set<Promise<void>>();

function build(): Budget {
  const perMinute = Math.floor(env.DISCORD_INVALID_REQUEST_LIMIT / 11);
  const reserve = Math.min(env.DISCORD_INVALID_REQUEST_SIGN_IN_RESERVE, env.DISCORD_INVALID_REQUEST_LIMIT);
  const share = (name: string, points: number, scope: DiscordBudgetScope, message: string) =>
    createRateLimiter({
      name,
      points,
      durationSeconds: WINDOW_SECONDS,
      scope,
      message,
      code: "discord_budget_exhausted",
      fallbackToMemory: true,
    });
  return {
    platform: createRateLimiter({
      name: "discord-invalid",
      points: perMinute,
      durationSeconds: 60,
      scope: "platform",
      message:
        "Discord refused many requests across all organizations, so Guildgate pauses Discord calls to keep the platform from being banned.",
      code: "discord_budget_exhausted",
      fallbackToMemory: true,
      sweepExpired: true,
    }),
    tenantCeiling: Math.floor((env.DISCORD_INVALID_REQUEST_LIMIT - reserve) / 11),
    organization: share(
      "discord-invalid-org",
      env.DISCORD_INVALID_REQUEST_PER_ORG,
      "organization",
      "This organization has used its share of requests Discord refused (wrong bot token, missing permission, rate limits).",
    ),
    user: share(
      "discord-invalid-user",
      env.DISCORD_INVALID_REQUEST_PER_USER,
      "user",
      "You have used your share of requests Discord refused.",
    ),
    address: share(
      "discord-invalid-address",
      env.DISCORD_INVALID_REQUEST_PER_ADDRESS,
      "address",
      "Your address has used its share of requests Discord refused.",
    ),
  };
}

function current(): Budget {
  budget ??= build();
  return budget;
}

export function isInvalidResponse(status: number, scope: string | null): boolean {
  return status === 401 || status === 403 || (status === 429 && scope !== "shared");
}

function callerKeys(caller: DiscordCaller | undefined, b: Budget): [RateLimiter, string][] {
  const keys: [RateLimiter, string][] = [];
  if (caller?.organizationId) keys.push([b.organization, caller.organizationId]);
  if (caller?.userId) keys.push([b.user, caller.userId]);
  if (caller?.address) keys.push([b.address, caller.address]);
  return keys;
}

/**
 * Refuses (DiscordInvalidRequestBudgetError with whose limit and Retry-After) when the caller's share or the
 * platform's part of the budget is spent. Counts far from their limits are reused from this process for 1 s.
 */
export async function assertDiscordBudget(
  caller: DiscordCaller | undefined,
  method: string,
  path: string,
): Promise<void> {
  if (pending.size > 0) await Promise.all(pending);
  const b = current();
  const ceiling = caller?.purpose === "sign-in" ? b.platform.points : b.tenantCeiling;
  const checks: [RateLimiter, string, number][] = [
    ...callerKeys(caller, b).map(([l, k]): [RateLimiter, string, number] => [l, k, l.points]),
    [b.platform, PLATFORM_KEY, ceiling],
  ];
  const states = await Promise.all(checks.map(([limiter, key]) => limiter.peek(key)));
  // The most specific exhausted share is the one named.
  for (let i = 0; i < checks.length; i++) {
    const [limiter, , limit] = checks[i]!;
    const state = states[i]!;
    if (state.consumed >= limit) {
      throw new DiscordInvalidRequestBudgetError({
        method,
        path,
        retryAfter: Math.max(1, state.resetsIn),
        scope: limiter.scope as DiscordBudgetScope,
        explanation: limiter.message,
      });
    }
  }
}

function swallow(what: string) {
  return (error: unknown) => {
    logger.warn(
      { what, err: error instanceof Error ? error.name : "error" },
      "could not count an invalid Discord request",
    );
  };
}

/** One invalid response, platform-wide (every response Discord sent, including retries the REST client waited out). */
export function recordInvalidResponse(): Promise<void> {
  const write = current()
    .platform.penalty(PLATFORM_KEY)
    .then(
      (state) => metrics.invalidRequestBudget({ used: state.consumed, limit: current().platform.points }),
      swallow("platform"),
    )
    .finally(() => pending.delete(write));
  pending.add(write);
  return write;
}

/** A call that ended in an invalid response: charged to the caller's organization, user and address shares. */
export function chargeCaller(caller: DiscordCaller | undefined): Promise<void> {
  const b = current();
  return Promise.all(
    callerKeys(caller, b).map(([limiter, key]) => limiter.penalty(key).catch(swallow(limiter.name))),
  ).then(() => undefined);
}

/** Tests: rebuild the limiters from the (changed) environment and forget what this process cached. */
export function resetDiscordBudget(): void {
  budget = undefined;
}
