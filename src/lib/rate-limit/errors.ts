// Local refusals: AppErrors (so every route maps them to 429 with Retry-After through the one status table) that
// also say whose limit was hit. Classified by `code` (isAppError), never by name, message or instanceof.
import { AppError } from "@/lib/errors/app-error";

/** Whose limit: the tenant's, the signed-in user's, the client address's, the platform's, or one bot token's. */
export type RateLimitScope = "organization" | "user" | "address" | "platform" | "token";

export type RateLimitedCode = "rate_limited" | "discord_budget_exhausted";

export type RateLimitedErrorInit = {
  code?: RateLimitedCode;
  scope: RateLimitScope;
  /** Seconds until the limit lets the caller through again (at least 1). */
  retryAfter: number;
  /** What was refused, in words: "Too many sign-in attempts from your address." */
  message: string;
};

export class RateLimitedError extends AppError {
  readonly scope: RateLimitScope;

  constructor(init: RateLimitedErrorInit) {
    const retryAfter = Math.max(1, Math.ceil(init.retryAfter));
    super(init.code ?? "rate_limited", `${init.message} Try again in ${inWords(retryAfter)}.`, {
      retryAfter,
      details: { scope: init.scope, retryAfter },
    });
    this.scope = init.scope;
  }
}

export function inWords(seconds: number): string {
  if (seconds < 90) return `${seconds} second${seconds === 1 ? "" : "s"}`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 90) return `${minutes} minutes`;
  return `${Math.ceil(minutes / 60)} hours`;
}
