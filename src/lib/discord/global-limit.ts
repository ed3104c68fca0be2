// Discord's global limit (50 requests per second per bot token, env DISCORD_GLOBAL_REQUESTS_PER_SECOND), counted
// across every process in one-second windows. A full window is remembered in this process until it ends (no
// query meanwhile); a caller waits for the next window when it fits its deadline, otherwise gets a 429.
//
// A process takes a few points at a time (a lease, at most a tenth of the limit) and spends them until the window
// ends: one upsert for a burst of calls instead of one per call. The shared count includes every leased point, so
// every process together still stays within the limit; a lease a process does not use up is only capacity left
// idle for the rest of that second. Near the limit (the last count this process saw) it takes one point at a time.
import { LRUCache } from "lru-cache";
import { env } from "@/lib/env";
import { createRateLimiter, type RateLimiter } from "@/lib/rate-limit";
import { DiscordApiError } from "./errors";

const LEASE_MAX = 5;
const LEASE_SHARE = 10;

type Lease = { left: number; endsAt: number; remaining: number };

let limiter: RateLimiter | undefined;
// Per process, not per module instance (the route handlers and the worker are separate chunks of one build), so one
// process holds at most one unspent lease per token. Not shared state: each process's own part of the shared count.
const shared = globalThis as unknown as {
  guildgateGlobalLeases?: LRUCache<string, Lease>;
  guildgateGlobalLeasing?: Map<string, Promise<unknown>>;
};
/** Points this process took from the shared count and has not spent yet, per token hash. */
const leases = (shared.guildgateGlobalLeases ??= new LRUCache<string, Lease>({ max: 10_000 }));
/** One lease request per token at a time: concurrent callers wait for it instead of each taking their own. */
const leasing = (shared.guildgateGlobalLeasing ??= new Map<string, Promise<unknown>>());

function store(): RateLimiter {
  limiter ??= createRateLimiter({
    name: "discord-global",
    points: env.DISCORD_GLOBAL_REQUESTS_PER_SECOND,
    durationSeconds: 1,
    scope: "token",
    message: "Too many Discord requests for this bot.",
    blockInMemory: true,
    fallbackToMemory: true,
  });
  return limiter;
}

export type AcquireGlobalSlotOptions = {
  /** SHA-256 of the bot token. */
  tokenHash: string;
  /** Epoch ms after which waiting is pointless (the call's deadline). */
  deadline: number;
  maxWaitMs: number;
  method: string;
  path: string;
};

/** How many points to take: a tenth of the limit (at most 5), or one when the window was nearly full. */
function leaseSize(points: number, previous: Lease | undefined, now: number): number {
  const size = Math.min(LEASE_MAX, Math.max(1, Math.floor(points / LEASE_SHARE)));
  const sameWindow = previous !== undefined && now < previous.endsAt;
  return sameWindow && previous.remaining < 2 * size ? 1 : size;
}

export async function acquireGlobalSlot(options: AcquireGlobalSlotOptions): Promise<void> {
  const { tokenHash } = options;
  for (;;) {
    const lease = leases.get(tokenHash);
    if (lease && lease.left > 0 && Date.now() < lease.endsAt) {
      lease.left--;
      return;
    }
    const inFlight = leasing.get(tokenHash);
    if (inFlight) {
      await inFlight.catch(() => {});
      continue;
    }
    const taking = takeLease(options, lease);
    leasing.set(tokenHash, taking);
    try {
      if (await taking) return;
    } finally {
      leasing.delete(tokenHash);
    }
  }
}

/** Takes a lease and spends its first point (true), or waits out a full window (false: try again) or refuses. */
async function takeLease(options: AcquireGlobalSlotOptions, previous: Lease | undefined): Promise<boolean> {
  const limit = store();
  const size = leaseSize(limit.points, previous, Date.now());
  const result = await limit.tryConsume(options.tokenHash, size);
  if (result.ok) {
    const { resetsInMs, remaining } = result.state;
    leases.set(options.tokenHash, { left: size - 1, endsAt: Date.now() + resetsInMs, remaining });
    return true;
  }
  // A little jitter so the waiters of several processes do not all arrive at the start of the next window.
  const wait = result.retryAfterMs + Math.floor(Math.random() * 50);
  if (wait > options.maxWaitMs || Date.now() + wait > options.deadline) {
    throw new DiscordApiError({
      status: 429,
      code: 0,
      message: "rate limited (global, shared by every process); call refused locally",
      method: options.method,
      path: options.path,
      retryAfter: Math.max(1, Math.ceil(wait / 1000)),
    });
  }
  await new Promise((resolve) => setTimeout(resolve, wait));
  return false;
}

/** Tests: rebuild from the (changed) environment. */
export function resetGlobalLimit(): void {
  limiter = undefined;
  leases.clear();
}
