// Discord's global limit (50 requests per second per bot token, env DISCORD_GLOBAL_REQUESTS_PER_SECOND), kept as
// Discord counts it: no sliding second may carry more, across every process. PostgreSQL keeps, per token, the
// grant times of the last N points (N the limit, the database's clock, so processes agree on time); a grant of k
// points is one conditional upsert that succeeds only if, with them, no window holds more than N. Fixed windows
// (rate-limiter-flexible's store) let two full windows meet at their boundary: up to 2N in one sliding second.
//
// A process takes a few points at a time (a lease, at most a tenth of the limit) and spends them within
// LEASE_TTL_MS, else drops them: one upsert for a burst of calls. Since a leased point may be sent up to that long
// after its recorded time, the window counted is a second plus the lease's life plus a margin for the call to
// leave. Near the limit it takes one point at a time.
//
// Raw SQL: a conditional upsert over an array is what Prisma cannot express, and this runs before every Discord call.
// While PostgreSQL is unreachable each process counts alone in memory (the same insurance the other limits have).
import { LRUCache } from "lru-cache";
import { env } from "@/lib/env";
import { isDatabaseUnavailable } from "@/lib/errors/database-unavailable";
import { rateLimitPool } from "@/lib/rate-limit/pool";
import { DiscordApiError } from "./errors";

const LEASE_MAX = 5;
const LEASE_SHARE = 10;
/** How long a leased point may wait in this process before it is dropped. */
const LEASE_TTL_MS = 100;
/** Between a grant's commit and the request leaving this process. */
const SEND_MARGIN_MS = 50;
/** The span of recorded grant times that may hold at most N points. */
const COUNTED_WINDOW_MS = 1_000 + LEASE_TTL_MS + SEND_MARGIN_MS;

type Lease = { left: number; expiresAt: number; remaining: number };

// Per process, not per module instance (the route handlers and the worker are separate chunks of one build), so one
// process holds at most one unspent lease per token. Not shared state: each process's own part of the shared count.
const shared = globalThis as unknown as {
  guildgateGlobalLeases?: LRUCache<string, Lease>;
  guildgateGlobalLeasing?: Map<string, Promise<unknown>>;
  guildgateGlobalMemory?: LRUCache<string, number[]>;
};
/** Points this process took from the shared count and has not spent yet, per token hash. */
const leases = (shared.guildgateGlobalLeases ??= new LRUCache<string, Lease>({ max: 10_000 }));
/** One lease request per token at a time: concurrent callers wait for it instead of each taking their own. */
const leasing = (shared.guildgateGlobalLeasing ??= new Map<string, Promise<unknown>>());
/** The insurance while PostgreSQL is unreachable: this process's own grant times per token. */
const memory = (shared.guildgateGlobalMemory ??= new LRUCache<string, number[]>({ max: 10_000 }));

export type AcquireGlobalSlotOptions = {
  /** SHA-256 of the bot token. */
  tokenHash: string;
  /** Epoch ms after which waiting is pointless (the call's deadline). */
  deadline: number;
  maxWaitMs: number;
  method: string;
  path: string;
};

type Grant = { ok: true; remaining: number } | { ok: false; retryAfterMs: number };

// $1 key, $2 points wanted, $3 the limit, $4 the counted window (ms). The new grant times go in as excluded.sent, so
// the database's clock is read once; the row keeps the last $3 times. Granted only if the newest time that would be
// dropped is already outside the window (or nothing is dropped).
const GRANT = `
INSERT INTO "DiscordGlobalWindow" AS w ("key", "sent")
VALUES ($1, array_fill((extract(epoch FROM clock_timestamp()) * 1000)::bigint, ARRAY[$2::int]))
ON CONFLICT ("key") DO UPDATE
SET "sent" = (w."sent" || excluded."sent")[greatest(1, cardinality(w."sent") + $2::int - $3::int + 1):]
WHERE cardinality(w."sent") + $2::int <= $3::int
   OR w."sent"[cardinality(w."sent") + $2::int - $3::int] <= excluded."sent"[1] - $4::bigint
RETURNING $3::int - (SELECT count(*) FROM unnest("sent") AS t(at) WHERE t.at > "sent"[cardinality("sent")] - $4::bigint)::int AS remaining`;

// When refused: how long until enough of the window has passed.
const WAIT = `
SELECT greatest(0, "sent"[greatest(1, cardinality("sent") + $2::int - $3::int)] + $4::bigint
  - (extract(epoch FROM clock_timestamp()) * 1000)::bigint)::int AS wait
FROM "DiscordGlobalWindow" WHERE "key" = $1`;

async function grantShared(key: string, points: number, limit: number): Promise<Grant> {
  const pool = rateLimitPool();
  const values = [key, points, limit, COUNTED_WINDOW_MS];
  const granted = await pool.query<{ remaining: number }>({ name: "gg_global_grant", text: GRANT, values });
  if (granted.rows[0]) return { ok: true, remaining: granted.rows[0].remaining };
  const wait = await pool.query<{ wait: number }>({ name: "gg_global_wait", text: WAIT, values });
  return { ok: false, retryAfterMs: Math.max(1, wait.rows[0]?.wait ?? 1) };
}

function grantInMemory(key: string, points: number, limit: number, now = Date.now()): Grant {
  const sent = memory.get(key) ?? [];
  const dropped = sent.length + points - limit;
  if (dropped > 0 && sent[dropped - 1]! > now - COUNTED_WINDOW_MS) {
    return { ok: false, retryAfterMs: Math.max(1, sent[dropped - 1]! + COUNTED_WINDOW_MS - now) };
  }
  const next = [...sent, ...Array<number>(points).fill(now)].slice(-limit);
  memory.set(key, next);
  return { ok: true, remaining: limit - next.filter((at) => at > now - COUNTED_WINDOW_MS).length };
}

async function grant(key: string, points: number, limit: number): Promise<Grant> {
  try {
    return await grantShared(key, points, limit);
  } catch (error) {
    if (!isDatabaseUnavailable(error)) throw error;
    return grantInMemory(key, points, limit);
  }
}

/** How many points to take: a tenth of the limit (at most 5), or one when the window was nearly full. */
function leaseSize(limit: number, previous: Lease | undefined): number {
  const size = Math.min(LEASE_MAX, Math.max(1, Math.floor(limit / LEASE_SHARE)));
  return previous !== undefined && previous.remaining < 2 * size ? 1 : size;
}

export async function acquireGlobalSlot(options: AcquireGlobalSlotOptions): Promise<void> {
  const { tokenHash } = options;
  for (;;) {
    const lease = leases.get(tokenHash);
    if (lease && lease.left > 0 && Date.now() < lease.expiresAt) {
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

/** Takes a lease and spends its first point (true), or waits until points are free (false: try again) or refuses. */
async function takeLease(options: AcquireGlobalSlotOptions, previous: Lease | undefined): Promise<boolean> {
  const limit = env.DISCORD_GLOBAL_REQUESTS_PER_SECOND;
  const size = leaseSize(limit, previous);
  const asked = Date.now();
  const result = await grant(options.tokenHash, size, limit);
  if (result.ok) {
    // The grant's recorded time lies between asking and now. After a slow answer (a stalled process) only the
    // point this call needs is used; the rest of the lease would leave later still than the window allows for.
    const late = Date.now() - asked > LEASE_TTL_MS;
    leases.set(options.tokenHash, {
      left: late ? 0 : size - 1,
      expiresAt: asked + LEASE_TTL_MS,
      remaining: result.remaining,
    });
    return true;
  }
  // A little jitter so the waiters of several processes do not all arrive at the same moment.
  const wait = result.retryAfterMs + Math.floor(Math.random() * 20);
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

/** Tests: forget this process's leases and in-memory counts. */
export function resetGlobalLimit(): void {
  leases.clear();
  memory.clear();
}
