// Bot health and the guild's role list come from Discord. Each answer is kept 30 s in this process (a cache of
// read results; concurrent requests share one read), and reads that reach Discord are limited per organization
// (limitBotReads, shared across processes), so reloading the settings page cannot spend Discord's budget.
import { LRUCache } from "lru-cache";
import { limitBotReads } from "@/lib/rate-limit";

export const BOT_READ_TTL_MS = 30_000;

const answers = new LRUCache<string, { value: unknown }>({ max: 5_000, ttl: BOT_READ_TTL_MS });
const inflight = new Map<string, Promise<unknown>>();

export type CachedBotReadOptions<T> = {
  /** What the answer depends on (organization, guild, role...): a change is a new key. */
  key: string;
  organizationId: string;
  read: () => Promise<T>;
  /** Skip the cache (still limited), e.g. to validate a save against Discord's current roles. */
  fresh?: boolean;
  /** Whether an answer may be kept (default: every answer). */
  cacheable?: (value: T) => boolean;
};

export async function cachedBotRead<T>(options: CachedBotReadOptions<T>): Promise<T> {
  if (!options.fresh) {
    const hit = answers.get(options.key);
    if (hit) return hit.value as T;
    const running = inflight.get(options.key);
    if (running) return running as Promise<T>;
  }
  const promise = (async () => {
    await limitBotReads(options.organizationId);
    const value = await options.read();
    if (options.cacheable?.(value) ?? true) answers.set(options.key, { value });
    return value;
  })();
  if (options.fresh) return promise;
  inflight.set(options.key, promise);
  try {
    return await promise;
  } finally {
    inflight.delete(options.key);
  }
}

/** A kept answer, if any, without reading or spending the read limit (a job checking a stored id). */
export function peekBotRead<T>(key: string): T | undefined {
  return answers.get(key)?.value as T | undefined;
}

/** Keeps an answer a job read itself (outside the per-organization limit), for the next caller within the TTL. */
export function keepBotRead<T>(key: string, value: T): void {
  answers.set(key, { value });
}

/** Tests, and after changes the next read must see (disconnect, new token): forget an organization's answers. */
export function forgetBotReads(prefix?: string): void {
  if (!prefix) return answers.clear();
  for (const key of [...answers.keys()]) if (key.startsWith(prefix)) answers.delete(key);
}
