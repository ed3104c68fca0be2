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

/** A query-string text parameter: at most `max` characters, no NUL. */
export function queryText(max: number) {
  return z.string().max(max).refine((v) => !hasNul(v), "must not contain NUL characters");
}

/** A query-string date (ISO 8601 or anything Date parses) within 1970-01-01 .. 9999-12-31. */
export const queryDate = z.coerce.date().refine(isStorableDate, "must be a date between 1970-01-01 and 9999-12-31");
