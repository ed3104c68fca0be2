// Limits shared by every process of a deployment: rate-limiter-flexible's PostgreSQL store (fixed windows, one
// atomic upsert per consume) on the "RateLimit" table, which a Prisma migration creates (never at run time).
// Whatever this process remembers (in-memory blocks, peek()) is only a cache of those shared counts.
import type pg from "pg";
import { LRUCache } from "lru-cache";
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes } from "rate-limiter-flexible";
import { AppError } from "@/lib/errors/app-error";
import { RateLimitedError, type RateLimitedCode, type RateLimitScope } from "./errors";
import { rateLimitPool } from "./pool";

export const RATE_LIMIT_TABLE = "RateLimit";

export type CreateRateLimiterOptions = {
  /** The limiter's namespace in the shared table (keys are stored as `<name>:<key>`). */
  name: string;
  /** Points allowed per window and key. */
  points: number;
  durationSeconds: number;
  /** Whose limit this is, for the refusal. */
  scope: RateLimitScope;
  /** The refusal's first sentence, e.g. "Too many sign-in attempts from your address." */
  message: string;
  code?: RateLimitedCode;
  /**
   * While PostgreSQL is unreachable, count in this process instead of failing (rate-limiter-flexible's insurance
   * limiter). Off: a store failure is a 503 `service_unavailable`.
   */
  fallbackToMemory?: boolean;
  /** Once a key's window is full, refuse it in this process until the window ends without asking PostgreSQL. */
  blockInMemory?: boolean;
  /** Delete windows that ended over an hour ago, every 5 minutes (the library's timer; one limiter per process is enough). */
  sweepExpired?: boolean;
  /** Test seam; default the process's rate-limit pool. */
  pool?: pg.Pool;
  now?: () => number;
};

export type RateLimitState = {
  consumed: number;
  remaining: number;
  /** Seconds until the key's window ends (0 when nothing is counted). */
  resetsIn: number;
  /** The same in milliseconds, for callers that use what they took until the window ends. */
  resetsInMs: number;
};

export type PeekOptions = {
  /** How long a count read from PostgreSQL may be reused in this process (default 1 s). */
  maxAgeMs?: number;
};

export type RateLimiter = {
  readonly name: string;
  readonly points: number;
  readonly durationSeconds: number;
  readonly scope: RateLimitScope;
  /** The refusal's first sentence (without "Try again in ..."). */
  readonly message: string;
  /** Takes `points` (default 1) or throws RateLimitedError (429 with Retry-After). */
  consume(key: string, points?: number): Promise<RateLimitState>;
  /** Like consume, but answers instead of throwing. */
  tryConsume(
    key: string,
    points?: number,
  ): Promise<{ ok: true; state: RateLimitState } | { ok: false; retryAfterMs: number }>;
  /** Adds points without refusing (counting something that already happened). */
  penalty(key: string, points?: number): Promise<RateLimitState>;
  /** The shared count now. */
  get(key: string): Promise<RateLimitState>;
  /**
   * The shared count, reusing this process's last read for `maxAgeMs` while the key is below half its limit: far
   * from the limit, a count a second old cannot decide differently; near it, every check reads PostgreSQL.
   */
  peek(key: string, options?: PeekOptions): Promise<RateLimitState>;
  /** Throws RateLimitedError when the key has `points` or more counted (checks without consuming). */
  assertBelow(key: string, limit?: number, options?: PeekOptions): Promise<RateLimitState>;
  refusal(retryAfterSeconds: number): RateLimitedError;
  delete(key: string): Promise<void>;
};

type Peeked = { state: RateLimitState; readAt: number; expiresAt: number };

function isRes(value: unknown): value is RateLimiterRes {
  return value instanceof RateLimiterRes;
}

function storeUnavailable(cause: unknown): AppError {
  return new AppError("service_unavailable", "The service is temporarily unavailable. Try again in a moment.", {
    retryAfter: 5,
    cause,
  });
}

export function createRateLimiter(options: CreateRateLimiterOptions): RateLimiter {
  const now = options.now ?? Date.now;
  const common = { keyPrefix: options.name, points: options.points, duration: options.durationSeconds };
  const store = new RateLimiterPostgres({
    ...common,
    storeClient: options.pool ?? rateLimitPool(),
    storeType: "pool",
    tableName: RATE_LIMIT_TABLE,
    tableCreated: true,
    clearExpiredByTimeout: options.sweepExpired ?? false,
    ...(options.blockInMemory ? { inMemoryBlockOnConsumed: options.points } : {}),
    ...(options.fallbackToMemory ? { insuranceLimiter: new RateLimiterMemory(common) } : {}),
  });
  const peeked = new LRUCache<string, Peeked>({ max: 10_000 });

  const toState = (res: RateLimiterRes | null): RateLimitState => {
    if (!res) return { consumed: 0, remaining: options.points, resetsIn: 0, resetsInMs: 0 };
    const resetsInMs = Math.max(0, res.msBeforeNext);
    return {
      consumed: res.consumedPoints,
      remaining: Math.max(0, options.points - res.consumedPoints),
      resetsIn: Math.ceil(resetsInMs / 1000),
      resetsInMs,
    };
  };
  const remember = (key: string, state: RateLimitState) => {
    const at = now();
    peeked.set(key, { state, readAt: at, expiresAt: at + state.resetsIn * 1000 });
  };
  const refusal = (retryAfterSeconds: number) =>
    new RateLimitedError({
      code: options.code,
      scope: options.scope,
      message: options.message,
      retryAfter: retryAfterSeconds,
    });

  async function run<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      if (isRes(error)) throw error;
      throw storeUnavailable(error);
    }
  }

  const limiter: RateLimiter = {
    name: options.name,
    points: options.points,
    durationSeconds: options.durationSeconds,
    scope: options.scope,
    message: options.message,
    refusal,
    async tryConsume(key, points = 1) {
      try {
        const state = toState(await run(() => store.consume(key, points)));
        remember(key, state);
        return { ok: true, state };
      } catch (error) {
        if (isRes(error)) return { ok: false, retryAfterMs: Math.max(1, error.msBeforeNext) };
        throw error;
      }
    },
    async consume(key, points = 1) {
      const result = await limiter.tryConsume(key, points);
      if (!result.ok) throw refusal(result.retryAfterMs / 1000);
      return result.state;
    },
    async penalty(key, points = 1) {
      const state = toState(await run(() => store.penalty(key, points)));
      remember(key, state);
      return state;
    },
    async get(key) {
      const state = toState(await run(() => store.get(key)));
      remember(key, state);
      return state;
    },
    async peek(key, peekOptions = {}) {
      const cached = peeked.get(key);
      const at = now();
      if (
        cached &&
        at - cached.readAt < (peekOptions.maxAgeMs ?? 1_000) &&
        (cached.state.consumed === 0 || at < cached.expiresAt) &&
        cached.state.consumed * 2 < options.points
      ) {
        return cached.state;
      }
      return limiter.get(key);
    },
    async assertBelow(key, limit = options.points, peekOptions) {
      const state = await limiter.peek(key, peekOptions);
      if (state.consumed >= limit) throw refusal(Math.max(1, state.resetsIn));
      return state;
    },
    async delete(key) {
      peeked.delete(key);
      await run(() => store.delete(key));
    },
  };
  return limiter;
}

/** Deletes windows that ended over an hour ago (the library's own clean-up query, run once for every limiter). */
export async function deleteExpiredRateLimits(pool: pg.Pool = rateLimitPool()): Promise<number> {
  const result = await pool.query(`DELETE FROM "${RATE_LIMIT_TABLE}" WHERE expire < $1`, [Date.now() - 3_600_000]);
  return result.rowCount ?? 0;
}
