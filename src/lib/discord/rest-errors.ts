// @discordjs/rest's errors (DiscordAPIError, HTTPError, RateLimitError), recognised by the fields its API documents,
// never by instanceof: the REST client of a token is shared per process (src/lib/discord/client.ts keeps it on
// globalThis), so the copy of the package that threw may not be the copy the caller imported (issue 23).
type Fields = Record<string, unknown>;
const isObject = (value: unknown): value is Fields => typeof value === "object" && value !== null;

/** @discordjs/rest's DiscordAPIError: Discord answered with an error body. */
export type RestApiErrorShape = {
  status: number;
  code: number | string;
  method: string;
  url: string;
  rawError: { message?: unknown; retry_after?: unknown; error?: unknown };
};
export function isRestApiError(error: unknown): error is RestApiErrorShape {
  return (
    isObject(error) &&
    typeof error.status === "number" &&
    (typeof error.code === "number" || typeof error.code === "string") &&
    typeof error.method === "string" &&
    typeof error.url === "string" &&
    isObject(error.rawError)
  );
}
/** @discordjs/rest's HTTPError: an error status without a Discord error body (a 5xx from a proxy, say). */
export type RestHttpErrorShape = { status: number; method: string; url: string; message: string };
export function isRestHttpError(error: unknown): error is RestHttpErrorShape {
  return (
    isObject(error) &&
    typeof error.message === "string" &&
    typeof error.status === "number" &&
    typeof error.method === "string" &&
    typeof error.url === "string" &&
    !("rawError" in error)
  );
}
/** @discordjs/rest's RateLimitError: it refused to wait (rejectOnRateLimit). retryAfter is in milliseconds. */
export type RestRateLimitErrorShape = {
  retryAfter: number;
  global: boolean;
  scope: string;
  method: string;
  route: string;
};
export function isRestRateLimitError(error: unknown): error is RestRateLimitErrorShape {
  return (
    isObject(error) &&
    typeof error.retryAfter === "number" &&
    typeof error.timeToReset === "number" &&
    typeof error.limit === "number" &&
    typeof error.global === "boolean" &&
    typeof error.route === "string" &&
    typeof error.method === "string"
  );
}
