import { afterEach, describe, expect, it } from "vitest";
import fc from "fast-check";
import { randomBytes } from "node:crypto";
import { currentKeyVersion, decrypt, encrypt, keyVersionOf, VaultError, type VaultContext } from "@/lib/crypto/vault";
import { useVaultKeys, vaultKey as key } from "~tests/helpers/security";

let restore: (() => void) | undefined;
function useKeys(value: string): void {
  const undo = useVaultKeys(value);
  restore ??= undo;
}

afterEach(() => {
  restore?.();
  restore = undefined;
});

const context: VaultContext = {
  organizationId: "5f0c8a52-8c1e-4d53-9e3a-0d0b8a1f2c11",
  provider: "DISCORD_BOT",
  tokenType: "BOT_TOKEN",
  identifier: "",
};
const secret = "MTEwMDAwMDAwMDAwMDAwMDAwMQ.GxYz12.abcdefghijklmnopqrstuvwxyz0123456789AB";

function errorOf(fn: () => unknown): VaultError {
  try {
    fn();
  } catch (error) {
    if (error instanceof VaultError) return error;
    throw error;
  }
  throw new Error("expected a VaultError");
}

/** Flips one bit of byte `index` inside base64url part `part` of a ciphertext. */
function flipByte(ciphertext: string, part: number, index: number): string {
  const parts = ciphertext.split(".");
  const bytes = Buffer.from(parts[part]!, "base64url");
  bytes[index] = bytes[index]! ^ 0x01;
  parts[part] = bytes.toString("base64url");
  return parts.join(".");
}

describe("vault encrypt/decrypt", () => {
  it("round-trips, including empty and non-ASCII plaintexts", () => {
    for (const plaintext of [secret, "", "ünïcødé 🔑", "x".repeat(5000)]) {
      expect(decrypt(encrypt(plaintext, context), context)).toBe(plaintext);
    }
  });

  it("encrypts the same plaintext differently twice, and never contains it", () => {
    const a = encrypt(secret, context);
    const b = encrypt(secret, context);
    expect(a).not.toBe(b);
    expect(a.split(".")[2]).not.toBe(b.split(".")[2]);
    expect(a).not.toContain(secret);
    expect(a).not.toContain(Buffer.from(secret).toString("base64url").slice(0, 12));
  });

  it("prefixes the format tag and the key version", () => {
    useKeys(`3:${key(3)},2:${key(2)}`);
    const ciphertext = encrypt(secret, context);
    expect(ciphertext).toMatch(/^gg1\.v3\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}$/);
    expect(keyVersionOf(ciphertext)).toBe(3);
    expect(currentKeyVersion()).toBe(3);
  });

  it("fails with TAMPERED for any flipped byte in the IV, the data or the tag", () => {
    const ciphertext = encrypt(secret, context);
    const [, , iv, data, tag] = ciphertext.split(".");
    const sizes = [
      Buffer.from(iv!, "base64url").length,
      Buffer.from(data!, "base64url").length,
      Buffer.from(tag!, "base64url").length,
    ];
    let checked = 0;
    sizes.forEach((size, offset) => {
      for (let i = 0; i < size; i++) {
        expect(errorOf(() => decrypt(flipByte(ciphertext, offset + 2, i), context)).code).toBe("TAMPERED");
        checked++;
      }
    });
    expect(checked).toBe(12 + Buffer.byteLength(secret) + 16);
  });

  it("fails with TAMPERED when the version is relabelled to another configured key", () => {
    useKeys(`2:${key(2)},1:${key(1)}`);
    const ciphertext = encrypt(secret, context);
    expect(errorOf(() => decrypt(ciphertext.replace(".v2.", ".v1."), context)).code).toBe("TAMPERED");
  });

  it("fails with UNKNOWN_KEY_VERSION for a version that is not configured", () => {
    const ciphertext = encrypt(secret, context);
    const error = errorOf(() => decrypt(ciphertext.replace(/^gg1\.v\d+\./, "gg1.v9."), context));
    expect(error.code).toBe("UNKNOWN_KEY_VERSION");
  });

  it("binds the ciphertext to its tenant, provider, type and identifier", () => {
    const ciphertext = encrypt(secret, context);
    const others: VaultContext[] = [
      { ...context, organizationId: "0b7d7f4e-1a55-4c9e-8f0f-6c3a1b2d9e44" },
      { ...context, provider: "DISCORD_OAUTH" },
      { ...context, tokenType: "ACCESS_TOKEN" },
      { ...context, identifier: "1100000000000000001" },
    ];
    for (const other of others) expect(errorOf(() => decrypt(ciphertext, other)).code).toBe("TAMPERED");
  });

  it("keeps fields apart in the AAD (no ambiguous concatenation)", () => {
    const a: VaultContext = { ...context, provider: "AB", tokenType: "C" };
    const b: VaultContext = { ...context, provider: "A", tokenType: "BC" };
    expect(errorOf(() => decrypt(encrypt(secret, a), b)).code).toBe("TAMPERED");
  });

  it("rejects malformed input with MALFORMED", () => {
    const good = encrypt(secret, context);
    const [, version, iv, data, tag] = good.split(".");
    const cases = [
      "",
      "not a ciphertext",
      Buffer.from(secret).toString("base64"),
      `gg2.${version}.${iv}.${data}.${tag}`,
      `gg1.3.${iv}.${data}.${tag}`,
      `gg1.v-1.${iv}.${data}.${tag}`,
      `gg1.v01.${iv}.${data}.${tag}`,
      `gg1.${version}.${iv}.${data}`,
      `gg1.${version}.${iv}.${data}.${tag}.extra`,
      `gg1.${version}.${iv!.slice(2)}.${data}.${tag}`,
      `gg1.${version}.${iv}.${data}.${tag!.slice(0, 20)}`,
      `gg1.${version}.${iv}.${data}+/.${tag}`,
      `gg1.${version}.${iv}.${data} .${tag}`,
    ];
    for (const input of cases) expect(errorOf(() => decrypt(input, context)).code, input).toBe("MALFORMED");
    expect(errorOf(() => decrypt(42 as unknown as string, context)).code).toBe("MALFORMED");
  });

  it("rejects a non-canonical base64url spelling of the tag", () => {
    const good = encrypt(secret, context);
    const parts = good.split(".");
    const tag = parts[4]!;
    // 16 bytes take 22 characters; the last one carries 2 unused bits, so a sibling character decodes equally.
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const last = alphabet.indexOf(tag.at(-1)!);
    parts[4] = tag.slice(0, -1) + alphabet[last ^ 1];
    expect(Buffer.from(parts[4], "base64url")).toEqual(Buffer.from(tag, "base64url"));
    expect(errorOf(() => decrypt(parts.join("."), context)).code).toBe("MALFORMED");
  });

  it("decrypts old versions after a new key is added, and encrypts with the newest", () => {
    useKeys(`1:${key(1)}`);
    const old = encrypt(secret, context);
    useKeys(`2:${key(2)},1:${key(1)}`);
    expect(decrypt(old, context)).toBe(secret);
    expect(keyVersionOf(encrypt(secret, context))).toBe(2);
    useKeys(`2:${key(2)}`);
    expect(errorOf(() => decrypt(old, context)).code).toBe("UNKNOWN_KEY_VERSION");
  });

  it("never puts the plaintext or a key in an error message", () => {
    const rawKey = randomBytes(32);
    useKeys(`1:${rawKey.toString("base64")}`);
    const ciphertext = encrypt(secret, context);
    const messages = [
      errorOf(() => decrypt(flipByte(ciphertext, 3, 0), context)),
      errorOf(() => decrypt(ciphertext, { ...context, organizationId: "other" })),
      errorOf(() => decrypt(ciphertext.replace(".v1.", ".v7."), context)),
      errorOf(() => decrypt(ciphertext + "!", context)),
    ].map((e) => `${e.message} ${e.stack ?? ""}`);
    for (const message of messages) {
      expect(message).not.toContain(secret);
      expect(message).not.toContain(rawKey.toString("base64"));
      expect(message).not.toContain(ciphertext);
    }
  });

  it("round-trips any text under any context, and fails under any other context", () => {
    const field = fc.string({ maxLength: 40 });
    const contextArb = fc.record({ organizationId: field, provider: field, tokenType: field, identifier: field });
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 300 }), contextArb, contextArb, (plaintext, a, b) => {
        const ciphertext = encrypt(plaintext, a);
        expect(decrypt(ciphertext, a)).toBe(plaintext);
        if (JSON.stringify(a) !== JSON.stringify(b))
          expect(errorOf(() => decrypt(ciphertext, b)).code).toBe("TAMPERED");
      }),
      { numRuns: 300 },
    );
  });
});
