import { afterEach, describe, expect, it, vi } from "vitest";
import fc from "fast-check";
import {
  DISCORD_EPOCH_MS,
  isSnowflake,
  isValidDiscordGuildId,
  isValidDiscordRoleId,
  isValidDiscordUserId,
  snowflake,
  snowflakeFromTimestamp,
  snowflakeTimestamp,
} from "@/lib/discord/ids";

afterEach(() => vi.useRealTimers());

const validators = { isSnowflake, isValidDiscordUserId, isValidDiscordGuildId, isValidDiscordRoleId };

describe("snowflake validation (the source document's cases)", () => {
  const rejected: unknown[] = [
    123456789012345678,
    123456789012345678n,
    null,
    undefined,
    { id: "123" },
    ["123456789012345678"],
    "",
    "12345",
    "123456",
    "12345678901234567890", // 20 digits whose timestamp is in the 2090s
    "abc123",
    "abc123def456",
    "123'; DROP TABLE users--",
    "<script>alert(1)</script>",
    " 123456789012345678",
    "123456789012345678\n",
    "123456789012345678 ",
    "+123456789012345678",
    "-123456789012345678",
    "0123456789012345678",
    "18446744073709551616", // 2^64
    "99999999999999999999",
    "１２３４５６７８９０１２３４５６７８", // full-width digits
  ];
  const accepted = ["12345678901234567", "123456789012345678", "1234567890123456789", "175928847299117063"];

  for (const [name, validate] of Object.entries(validators)) {
    it(`${name} rejects non-ids and accepts real ones`, () => {
      for (const value of rejected) expect(validate(value), String(value)).toBe(false);
      for (const value of accepted) expect(validate(value), value).toBe(true);
    });
  }

  it("reads the creation time out of an id", () => {
    // Discord's documentation example: 175928847299117063 was created 2016-04-30T11:18:25.796Z.
    expect(snowflakeTimestamp("175928847299117063").toISOString()).toBe("2016-04-30T11:18:25.796Z");
    expect(() => snowflakeTimestamp("12345")).toThrow(TypeError);
  });

  it("accepts up to a day of clock skew into the future, not more", () => {
    vi.useFakeTimers({ now: new Date("2026-01-01T00:00:00Z") });
    const inHours = (h: number) => snowflakeFromTimestamp(new Date(Date.now() + h * 3_600_000));
    expect(isSnowflake(inHours(23))).toBe(true);
    expect(isSnowflake(inHours(25))).toBe(false);
    vi.setSystemTime(new Date("2026-01-03T00:00:00Z"));
    expect(isSnowflake(inHours(-23))).toBe(true);
  });

  it("the zod schema parses ids and reports anything else", () => {
    expect(snowflake.parse("123456789012345678")).toBe("123456789012345678");
    const result = snowflake.safeParse("123'; DROP TABLE users--");
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/Enter a Discord id: 17 to 20 digits/);
    expect(snowflake.safeParse(123456789012345678).success).toBe(false);
  });
});

describe("snowflake properties", () => {
  const now = Date.now();
  // Ids from 2015-01-28 on (the first with 17 digits) up to now, with arbitrary low 22 bits.
  const moment = fc.integer({ min: DISCORD_EPOCH_MS + 2_400_000_000, max: now });
  const low = fc.bigInt({ min: 0n, max: (1n << 22n) - 1n });

  it("every generated id validates and round-trips its timestamp", () => {
    fc.assert(
      fc.property(moment, low, (ms, bits) => {
        const id = snowflakeFromTimestamp(new Date(ms), bits);
        expect(isSnowflake(id)).toBe(true);
        expect(snowflakeTimestamp(id).getTime()).toBe(ms);
        expect(snowflake.parse(id)).toBe(id);
        expect(String(BigInt(id))).toBe(id);
      }),
    );
  });

  it("ids dated more than a day ahead are rejected", () => {
    fc.assert(
      fc.property(fc.integer({ min: 2 * 86_400_000, max: 3_000 * 86_400_000 }), low, (ahead, bits) => {
        expect(isSnowflake(snowflakeFromTimestamp(new Date(Date.now() + ahead), bits))).toBe(false);
      }),
    );
  });

  it("any decoration of a valid id is rejected", () => {
    const decoration = fc.constantFrom(" ", "\n", "\t", "0", "+", "-", "a", ".", "'", "\u0000", "e3");
    fc.assert(
      fc.property(moment, low, decoration, fc.boolean(), (ms, bits, extra, before) => {
        const id = snowflakeFromTimestamp(new Date(ms), bits);
        const decorated = before ? extra + id : id + extra;
        // Appending a digit can still be a valid (later) id only if it stays within 20 digits and the past.
        if (/^\d+$/.test(decorated) && !before) return;
        expect(isSnowflake(decorated)).toBe(false);
      }),
    );
  });

  it("numbers are never accepted, whatever their value", () => {
    fc.assert(
      fc.property(fc.oneof(fc.double(), fc.integer(), fc.bigInt()), (n) => {
        expect(isSnowflake(n)).toBe(false);
      }),
    );
  });

  it("arbitrary strings are accepted only when they are canonical in-range ids", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.stringMatching(/^[0-9]{15,21}$/)), (s) => {
        if (!isSnowflake(s)) return;
        expect(s).toMatch(/^[1-9][0-9]{16,19}$/);
        expect(BigInt(s) <= (1n << 64n) - 1n).toBe(true);
        expect(snowflakeTimestamp(s).getTime()).toBeLessThanOrEqual(Date.now() + 86_400_000);
      }),
    );
  });
});
