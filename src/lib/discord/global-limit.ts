// Discord's global limit (50 requests per second per bot token, env DISCORD_GLOBAL_REQUESTS_PER_SECOND), counted
// across every process in one-second windows. A full window is remembered in this process until it ends (no
// query meanwhile); a caller waits for the next window when it fits its deadline, otherwise gets a 429.
import { env } from "@/lib/env";
import { createRateLimiter, type RateLimiter } from "@/lib/rate-limit";
import { DiscordApiError } from "./errors";

let limiter: RateLimiter | undefined;

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

export async function acquireGlobalSlot(options: AcquireGlobalSlotOptions): Promise<void> {
  for (;;) {
    const result = await store().tryConsume(options.tokenHash);
    if (result.ok) return;
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
  }
}

/** Tests: rebuild from the (changed) environment. */
export function resetGlobalLimit(): void {
  limiter = undefined;
}
