export { createRateLimiter, deleteExpiredRateLimits, RATE_LIMIT_TABLE } from "./limiter";
export type { CreateRateLimiterOptions, PeekOptions, RateLimiter, RateLimitState } from "./limiter";
export { inWords, RateLimitedError } from "./errors";
export type { RateLimitedCode, RateLimitedErrorInit, RateLimitScope } from "./errors";
export { closeRateLimitPool, rateLimitPool } from "./pool";
export { limitApply, limitBotReads, limitOrganizationCreate, limitSignIn, resetRequestLimits } from "./request-limits";
