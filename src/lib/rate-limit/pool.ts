// The node-postgres pool rate-limiter-flexible's PostgreSQL store runs its one-statement upserts on. One per process,
// on globalThis so every module instance (the production build loads route handlers and the worker as separate
// chunks) shares it; the counters themselves live in the "RateLimit" table, shared by every process.
import pg from "pg";
import { env } from "@/lib/env";

const globalForPool = globalThis as unknown as { guildgateRateLimitPool?: pg.Pool };

export function rateLimitPool(): pg.Pool {
  if (!globalForPool.guildgateRateLimitPool) {
    const pool = new pg.Pool({
      connectionString: env.DATABASE_URL,
      max: 5,
      connectionTimeoutMillis: 3_000,
      idleTimeoutMillis: 10_000,
      allowExitOnIdle: true,
    });
    // An idle connection dropped by the server (restart, outage) is replaced on next use; without a listener the
    // pool's 'error' event would crash the process.
    pool.on("error", () => {});
    globalForPool.guildgateRateLimitPool = pool;
  }
  return globalForPool.guildgateRateLimitPool;
}

/** Tests and shutdown: close the pool (the next use opens a new one, e.g. after DATABASE_URL changed). */
export async function closeRateLimitPool(): Promise<void> {
  const pool = globalForPool.guildgateRateLimitPool;
  globalForPool.guildgateRateLimitPool = undefined;
  await pool?.end().catch(() => {});
}
