// A short-lived per-process cache of validated API tokens (by SHA-256), so a busy token costs no query per request.
// It is only a cache of PostgreSQL: entries live 30 s at most, and every instance evicts an organization's entries
// when the existing token-invalidation channel (src/lib/discord/token-invalidation.ts) carries its id: a revoke
// (notifyApiTokensChanged), a suspension, a bot (dis)connect or a role-settings change. After a lost listener
// connection everything is dropped.
import { LRUCache } from "lru-cache";
import { type Db, type Tx } from "@/lib/db";
import {
  startInvalidationListener,
  TOKEN_INVALIDATION_CHANNEL,
  type InvalidationListener,
} from "@/lib/discord/token-invalidation";
import { env } from "@/lib/env";
import { logger } from "@/lib/logger";

export const API_TOKEN_CACHE_TTL_MS = 30_000;

type Entry = { organizationId: string };

type CacheState<T extends Entry> = { cache: LRUCache<string, T>; listener?: InvalidationListener };

const globalForCache = globalThis as unknown as { guildgateApiTokenCache?: CacheState<Entry> };

function state<T extends Entry>(): CacheState<T> {
  globalForCache.guildgateApiTokenCache ??= {
    cache: new LRUCache<string, Entry>({ max: 10_000, ttl: API_TOKEN_CACHE_TTL_MS }),
  };
  const current = globalForCache.guildgateApiTokenCache as unknown as CacheState<T>;
  if (!current.listener) {
    current.listener = startInvalidationListener({
      connectionString: env.DATABASE_URL,
      onMessage: (message) => {
        if (message.organizationId) evictOrganization(message.organizationId);
      },
      onReconnect: () => current.cache.clear(),
    });
    current.listener.ready.catch(() => logger.warn("API token cache listener did not start"));
  }
  return current;
}

export function cachedToken<T extends Entry>(hash: string): T | undefined {
  return state<T>().cache.get(hash);
}

export function cacheToken<T extends Entry>(hash: string, entry: T): void {
  state<T>().cache.set(hash, entry);
}

export function evictOrganization(organizationId: string): void {
  const { cache } = state();
  for (const [hash, entry] of cache.entries()) if (entry.organizationId === organizationId) cache.delete(hash);
}

/**
 * Evicts an organization's cached tokens here at once and, with the commit of `db`'s transaction, in every instance.
 * Call after revoking a token or changing what a token's context carries (the connection's roles).
 */
export async function notifyApiTokensChanged(organizationId: string, db: Db | Tx): Promise<void> {
  evictOrganization(organizationId);
  await db.$executeRaw`SELECT pg_notify(${TOKEN_INVALIDATION_CHANNEL}, ${JSON.stringify({ organizationId })})`;
}

/** Resolves once this process listens for evictions (tests wait for it before counting queries). */
export function apiTokenCacheReady(): Promise<void> {
  return state().listener!.ready;
}

/** Tests and shutdown: stop listening and forget everything. */
export async function closeApiTokenCache(): Promise<void> {
  const current = globalForCache.guildgateApiTokenCache;
  globalForCache.guildgateApiTokenCache = undefined;
  await current?.listener?.stop();
}
