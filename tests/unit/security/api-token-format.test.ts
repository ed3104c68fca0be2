import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { createHash } from "node:crypto";
import { checkApiTokenFormat, generateApiToken, hashApiToken } from "@/lib/security/api-tokens";

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

describe("API token format", () => {
  it("is ggt_ + 36 base62 characters and passes its own checksum", () => {
    for (let i = 0; i < 200; i++) {
      const token = generateApiToken();
      expect(token).toMatch(/^ggt_[0-9A-Za-z]{36}$/);
      expect(checkApiTokenFormat(token)).toBe("OK");
    }
  });

  it("never repeats and uses the whole alphabet", () => {
    const tokens = Array.from({ length: 2000 }, generateApiToken);
    expect(new Set(tokens).size).toBe(tokens.length);
    const seen = new Set(tokens.flatMap((t) => [...t.slice(4, 34)]));
    expect(seen.size).toBe(62);
  });

  it("detects any single changed character as BAD_CHECKSUM", () => {
    fc.assert(
      fc.property(fc.integer({ min: 4, max: 39 }), fc.integer({ min: 1, max: 61 }), (position, shift) => {
        const token = generateApiToken();
        const replaced = BASE62[(BASE62.indexOf(token[position]!) + shift) % 62]!;
        const typo = token.slice(0, position) + replaced + token.slice(position + 1);
        expect(checkApiTokenFormat(typo)).toBe("BAD_CHECKSUM");
      }),
    );
  });

  it("detects swapped neighbours as BAD_CHECKSUM", () => {
    fc.assert(
      fc.property(fc.integer({ min: 4, max: 38 }), (position) => {
        const token = generateApiToken();
        if (token[position] === token[position + 1]) return;
        const swapped = token.slice(0, position) + token[position + 1] + token[position] + token.slice(position + 2);
        expect(checkApiTokenFormat(swapped)).toBe("BAD_CHECKSUM");
      }),
    );
  });

  it("rejects made-up tokens: random base62 passes the checksum about once in 4 billion", () => {
    const made = fc.stringMatching(/^ggt_[0-9A-Za-z]{36}$/);
    let ok = 0;
    fc.assert(
      fc.property(made, (token) => {
        if (checkApiTokenFormat(token) === "OK") ok++;
      }),
      { numRuns: 2000 },
    );
    expect(ok).toBe(0);
  });

  it("calls anything else MALFORMED", () => {
    const token = generateApiToken();
    const cases: unknown[] = [
      undefined,
      null,
      42,
      "",
      token.slice(0, -1),
      token + "a",
      "ggx_" + token.slice(4),
      "GGT_" + token.slice(4),
      token.slice(0, 10) + "-" + token.slice(11),
      ` ${token}`,
      `${token}\n`,
      `Bearer ${token}`,
    ];
    for (const value of cases) expect(checkApiTokenFormat(value), String(value)).toBe("MALFORMED");
  });

  it("hashes with SHA-256 (hex)", () => {
    const token = generateApiToken();
    expect(hashApiToken(token)).toBe(createHash("sha256").update(token).digest("hex"));
    expect(hashApiToken(token)).toMatch(/^[0-9a-f]{64}$/);
  });
});
