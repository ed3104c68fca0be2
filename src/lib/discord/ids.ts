// Discord IDs are snowflakes: unsigned 64-bit integers sent as strings, whose top 42 bits are milliseconds since
// the Discord epoch. Checking digits alone accepts ids whose timestamp lies decades ahead; we check the value.
import { z } from "zod";

/** 2015-01-01T00:00:00.000Z, the zero of snowflake timestamps. */
export const DISCORD_EPOCH_MS = 1_420_070_400_000;
const MAX_UINT64 = (1n << 64n) - 1n;
const FUTURE_TOLERANCE_MS = 24 * 60 * 60 * 1000;
// 17 to 20 digits without a sign, whitespace or leading zero (a leading zero would give one id two spellings).
const DIGITS = /^[1-9][0-9]{16,19}$/;

function timestampMs(value: bigint): number {
  return Number(value >> 22n) + DISCORD_EPOCH_MS;
}

/** True for a canonical snowflake string whose timestamp is after 2015-01-01 and at most a day ahead of now. */
export function isSnowflake(value: unknown): value is string {
  if (typeof value !== "string" || !DIGITS.test(value)) return false;
  const n = BigInt(value);
  if (n > MAX_UINT64) return false;
  const ms = timestampMs(n);
  return ms >= DISCORD_EPOCH_MS && ms <= Date.now() + FUTURE_TOLERANCE_MS;
}

/** When the object behind the id was created. Throws a TypeError for anything that is not a snowflake. */
export function snowflakeTimestamp(id: string): Date {
  if (!isSnowflake(id)) throw new TypeError("Not a Discord snowflake");
  return new Date(timestampMs(BigInt(id)));
}

/** The smallest snowflake for a moment (worker, process and increment 0), e.g. for `after=` pagination and tests. */
export function snowflakeFromTimestamp(date: Date, low: bigint = 0n): string {
  const ms = BigInt(date.getTime() - DISCORD_EPOCH_MS);
  if (ms < 0n) throw new RangeError("Snowflakes start at 2015-01-01");
  return String((ms << 22n) | (low & 0x3fffffn));
}

/** A zod schema for snowflake strings (route input, Discord payloads). */
export const snowflake = z
  .string()
  .refine(isSnowflake, { message: "Enter a Discord id: 17 to 20 digits, as Discord's Copy ID gives it." });

// The source document's names; Discord uses one id space, so they share the rule.
export const isValidDiscordUserId = (value: unknown): value is string => isSnowflake(value);
export const isValidDiscordGuildId = (value: unknown): value is string => isSnowflake(value);
export const isValidDiscordRoleId = (value: unknown): value is string => isSnowflake(value);
