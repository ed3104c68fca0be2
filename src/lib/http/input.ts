// Checks shared by every boundary that passes text, ids or dates on to PostgreSQL. Each one turns what PostgreSQL
// would reject with an error (a 500 to the caller) into a refusal we can answer with a stable 4xx.
import { z } from "zod";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A well-formed UUID; anything else would fail PostgreSQL's uuid cast. */
export function isUuid(value: unknown): value is string {
  return typeof value === "string" && UUID.test(value);
}

// PostgreSQL's timestamp range is 4713 BC .. 294276 AD, JavaScript's is wider; no real date of ours falls outside this.
export const EARLIEST_DATE = new Date("1970-01-01T00:00:00.000Z");
export const LATEST_DATE = new Date("9999-12-31T23:59:59.999Z");

/** A valid date within the range we store and query (1970-01-01 .. 9999-12-31). */
export function isStorableDate(date: Date): boolean {
  const time = date.getTime();
  return !Number.isNaN(time) && time >= EARLIEST_DATE.getTime() && time <= LATEST_DATE.getTime();
}

/** PostgreSQL text cannot hold NUL (U+0000): a value with one fails the query. */
export function hasNul(value: string): boolean {
  return value.includes("\u0000");
}

/**
 * A lone UTF-16 surrogate (half of a pair, e.g. from the JSON escape "\ud800") is not text: Prisma's query engine
 * and PostgreSQL's jsonb refuse it, so it must be refused (input) or repaired (text from Discord) before a query.
 */
export function hasLoneSurrogate(value: string): boolean {
  return LONE_SURROGATE.test(value);
}

// A high surrogate not followed by a low one, or a low one not preceded by a high one (String#isWellFormed is
// ES2024, past this project's lib target).
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const LONE_SURROGATES = new RegExp(LONE_SURROGATE.source, "g");

/** Text that PostgreSQL and Prisma accept: no NUL, no lone surrogate. */
export function isStorableText(value: string): boolean {
  return !hasNul(value) && !hasLoneSurrogate(value);
}

/**
 * Text from outside our control that we store or show (Discord display names, guild and role names): lone
 * surrogates become U+FFFD, NUL and other control characters are dropped, and the length is bounded (without
 * splitting a surrogate pair). Never throws, so a strange display name cannot break a sign-in.
 */
export function sanitizeExternalText(value: string | null | undefined, max = 100): string {
  const clean = (value ?? "")
    .replace(LONE_SURROGATES, "\uFFFD")
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, "")
    .trim();
  const chars = Array.from(clean);
  return chars.length <= max ? clean : chars.slice(0, max).join("");
}

/** A query-string text parameter: at most `max` characters, no NUL, no lone surrogate. */
export function queryText(max: number) {
  return z
    .string()
    .max(max)
    .refine((v) => !hasNul(v), "must not contain NUL characters")
    .refine((v) => !hasLoneSurrogate(v), "must not contain unpaired UTF-16 surrogates");
}

/** A query-string date (ISO 8601 or anything Date parses) within 1970-01-01 .. 9999-12-31. */
export const queryDate = z.coerce.date().refine(isStorableDate, "must be a date between 1970-01-01 and 9999-12-31");

/** A Discord user's display name (global name, else username), sanitised; never empty. */
export function discordDisplayName(user: { global_name?: string | null; username: string }): string {
  return sanitizeExternalText(user.global_name, 100) || sanitizeExternalText(user.username, 100) || "Discord user";
}
