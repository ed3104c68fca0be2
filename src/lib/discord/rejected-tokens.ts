// Tokens Discord answered 401, by SHA-256, shared by every process and module instance: a hash-keyed record in the
// shared rate-limit table, kept 7 days (a rejected token stays rejected; a reset token is a new value). A tenant's
// bot token is also marked INVALID in the vault (token-resolver.ts). This process caches what it read: a rejection
// until restart, a "not rejected" answer for 1 s.
import { LRUCache } from "lru-cache";
import { createRateLimiter, type RateLimiter } from "@/lib/rate-limit";

const KEEP_SECONDS = 7 * 24 * 60 * 60;
const NEGATIVE_TTL_MS = 1_000;

let limiter: RateLimiter | undefined;
const rejected = new LRUCache<string, true>({ max: 10_000 });
const accepted = new LRUCache<string, true>({ max: 10_000, ttl: NEGATIVE_TTL_MS });

function store(): RateLimiter {
  limiter ??= createRateLimiter({
    name: "discord-rejected-token",
    points: 1,
    durationSeconds: KEEP_SECONDS,
    scope: "token",
    message: "Discord rejected this token.",
    fallbackToMemory: true,
  });
  return limiter;
}

/** Whether Discord answered 401 to this token hash, in any process. */
export async function isTokenRejected(hash: string): Promise<boolean> {
  if (rejected.has(hash)) return true;
  if (accepted.has(hash)) return false;
  const state = await store().get(hash);
  if (state.consumed > 0) {
    rejected.set(hash, true);
    return true;
  }
  accepted.set(hash, true);
  return false;
}

export async function recordRejectedToken(hash: string): Promise<void> {
  rejected.set(hash, true);
  accepted.delete(hash);
  await store().penalty(hash);
}

/** Tests: forget what this process cached (the shared records go with the table). */
export function resetRejectedTokenCache(): void {
  rejected.clear();
  accepted.clear();
  limiter = undefined;
}
