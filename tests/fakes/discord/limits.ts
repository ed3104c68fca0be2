// Fault injection and Discord-like rate limits for the fake. Both are keyed by route id, e.g.
// "PUT /guilds/{guild_id}/members/{user_id}/roles/{role_id}" (method, space, the path template).
import { createHash } from "node:crypto";

export type Fault = {
  /** A route id, or "*" for every API route. */
  route: string;
  /** How many matching calls the fault applies to (default 1). */
  times?: number;
  /** Answer with this status (and a Discord error body) instead of handling the call. */
  status?: number;
  /** Discord JSON error code for the body (default: one that fits the status). */
  code?: number;
  message?: string;
  /** For a 429: seconds in Retry-After / retry_after (default 1). */
  retryAfter?: number;
  /** Wait this long before answering (alone: then handle the call normally). */
  delayMs?: number;
  /** Drop the connection (msw: a network error; sandbox: the socket is destroyed). */
  drop?: boolean;
  /**
   * Handle the call first, then delay, drop or answer the forced status: Discord did the work (a message exists)
   * but the caller never learns it, as when a timeout or a lost connection follows an accepted request.
   */
  afterHandling?: boolean;
};

type ActiveFault = Fault & { remaining: number };

export class FaultQueue {
  private faults: ActiveFault[] = [];

  add(fault: Fault): void {
    this.faults.push({ ...fault, remaining: fault.times ?? 1 });
  }

  /** The first fault that matches the route, consuming one of its uses. */
  take(routeId: string): Fault | undefined {
    const index = this.faults.findIndex((f) => f.route === "*" || f.route === routeId);
    if (index < 0) return undefined;
    const fault = this.faults[index]!;
    fault.remaining--;
    if (fault.remaining <= 0) this.faults.splice(index, 1);
    return fault;
  }

  pending(): Fault[] {
    return this.faults.map(({ remaining, ...fault }) => ({ ...fault, times: remaining }));
  }

  clear(): void {
    this.faults = [];
  }
}

export type Limit = { limit: number; windowMs: number };

export type RateLimitConfig = {
  /** Per bot (or bearer token) across all routes: Discord's is 50 per second. */
  global: Limit;
  /** Per route id and major parameter (guild) and token. */
  defaultRoute: Limit;
  routes: Record<string, Limit>;
};

/** Generous by default so tests only meet limits they ask for; the sandbox uses Discord's figures. */
export const GENEROUS_LIMITS: RateLimitConfig = {
  global: { limit: 10_000, windowMs: 1000 },
  defaultRoute: { limit: 10_000, windowMs: 1000 },
  routes: {},
};

export const DISCORD_LIKE_LIMITS: RateLimitConfig = {
  global: { limit: 50, windowMs: 1000 },
  defaultRoute: { limit: 5, windowMs: 1000 },
  routes: {
    "PUT /guilds/{guild_id}/members/{user_id}/roles/{role_id}": { limit: 10, windowMs: 10_000 },
    "DELETE /guilds/{guild_id}/members/{user_id}/roles/{role_id}": { limit: 10, windowMs: 10_000 },
    "POST /guilds/{guild_id}/roles": { limit: 250, windowMs: 48 * 3600_000 },
  },
};

type Window = { count: number; resetAt: number };

export type RateLimitDecision =
  | { limited: false; headers: Record<string, string> }
  | { limited: true; global: boolean; retryAfterS: number; headers: Record<string, string> };

export class RateLimiter {
  config: RateLimitConfig = structuredClone(GENEROUS_LIMITS);
  private windows = new Map<string, Window>();

  configure(config: Partial<RateLimitConfig>): void {
    this.config = { ...this.config, ...config, routes: { ...this.config.routes, ...config.routes } };
    this.windows.clear();
  }

  reset(): void {
    this.config = structuredClone(GENEROUS_LIMITS);
    this.windows.clear();
  }

  check(input: { routeId: string; majorId: string; principalKey: string; now: number }): RateLimitDecision {
    const global = this.hit(`global:${input.principalKey}`, this.config.global, input.now);
    if (global.limited) {
      const retryAfterS = Math.max(0.001, (global.window.resetAt - input.now) / 1000);
      return {
        limited: true,
        global: true,
        retryAfterS,
        headers: {
          "X-RateLimit-Global": "true",
          "X-RateLimit-Scope": "global",
          "Retry-After": String(Math.ceil(retryAfterS)),
        },
      };
    }
    const limit = this.config.routes[input.routeId] ?? this.config.defaultRoute;
    const routeKey = `${input.routeId}:${input.majorId}:${input.principalKey}`;
    const route = this.hit(routeKey, limit, input.now);
    const resetAfterS = Math.max(0, (route.window.resetAt - input.now) / 1000);
    const headers: Record<string, string> = {
      "X-RateLimit-Limit": String(limit.limit),
      "X-RateLimit-Remaining": String(Math.max(0, limit.limit - route.window.count)),
      "X-RateLimit-Reset": (route.window.resetAt / 1000).toFixed(3),
      "X-RateLimit-Reset-After": resetAfterS.toFixed(3),
      "X-RateLimit-Bucket": createHash("sha1").update(input.routeId).digest("hex").slice(0, 16),
    };
    if (!route.limited) return { limited: false, headers };
    return {
      limited: true,
      global: false,
      retryAfterS: Math.max(0.001, resetAfterS),
      headers: { ...headers, "X-RateLimit-Scope": "user", "Retry-After": String(Math.ceil(resetAfterS)) },
    };
  }

  private hit(key: string, limit: Limit, now: number): { limited: boolean; window: Window } {
    let window = this.windows.get(key);
    if (!window || window.resetAt <= now) {
      window = { count: 0, resetAt: now + limit.windowMs };
      this.windows.set(key, window);
    }
    if (window.count >= limit.limit) return { limited: true, window };
    window.count++;
    return { limited: false, window };
  }
}
