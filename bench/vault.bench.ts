// Vault decrypt (and encrypt) throughput beside the source document's scheme (001): a key derived with async
// scrypt from a passphrase and a per-value salt on every call. CPU only, no database.
import { createCipheriv, createDecipheriv, randomBytes, scrypt } from "node:crypto";
import { promisify } from "node:util";
import { type BenchResult, type BenchSuite, opsPerSecond } from "./lib";

const scryptAsync = promisify(scrypt) as (secret: string, salt: Buffer, length: number) => Promise<Buffer>;
const BASELINE_SECRET = "baseline-encryption-secret-0123456789abcdef";
const PLAINTEXT = `MTEwMDAwMDAwMDAwMDAwMDAwMQ.GabCde.${randomBytes(27).toString("base64url")}`;

/** Source document 001's encrypt(): salt + iv + tag + data, key = scrypt(secret, salt) per call. */
async function baselineEncrypt(plaintext: string): Promise<string> {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", await scryptAsync(BASELINE_SECRET, salt, 32), iv, { authTagLength: 16 });
  const data = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return Buffer.concat([salt, iv, cipher.getAuthTag(), data]).toString("base64");
}

/** Source document 001's decrypt(). */
async function baselineDecrypt(encrypted: string): Promise<string> {
  const combined = Buffer.from(encrypted, "base64");
  const salt = combined.subarray(0, 16);
  const iv = combined.subarray(16, 28);
  const tag = combined.subarray(28, 44);
  const decipher = createDecipheriv("aes-256-gcm", await scryptAsync(BASELINE_SECRET, salt, 32), iv, {
    authTagLength: 16,
  });
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(combined.subarray(44)), decipher.final()]).toString("utf8");
}

const suite: BenchSuite = {
  name: "vault (AES-256-GCM, keys used as given)",
  run: async () => {
    // Bench-only values when run outside a configured environment; the vault reads only VAULT_KEYS.
    const saved = { ...process.env };
    process.env.VAULT_KEYS ??= `1:${randomBytes(32).toString("base64")}`;
    process.env.STATE_SIGNING_SECRET ??= randomBytes(36).toString("base64");
    process.env.DATABASE_URL ??= "postgresql://unused@127.0.0.1:1/bench";
    const { resetEnvCache } = await import("../src/lib/env");
    resetEnvCache();
    try {
      return await measure();
    } finally {
      // Later suites must not see the placeholder DATABASE_URL.
      for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
      Object.assign(process.env, saved);
      resetEnvCache();
    }
  },
};

async function measure(): Promise<BenchResult[]> {
  const { encrypt, decrypt } = await import("../src/lib/crypto/vault");
  const context = {
    organizationId: "5f0c8a52-8c1e-4d53-9e3a-0d0b8a1f2c11",
    provider: "DISCORD_BOT",
    tokenType: "BOT_TOKEN",
    identifier: "",
  };

  const ciphertext = encrypt(PLAINTEXT, context);
  const baselineCiphertext = await baselineEncrypt(PLAINTEXT);
  if (decrypt(ciphertext, context) !== PLAINTEXT || (await baselineDecrypt(baselineCiphertext)) !== PLAINTEXT) {
    throw new Error("round trip failed");
  }

  const decryptOurs = await opsPerSecond(() => decrypt(ciphertext, context), 1500);
  const decryptBase = await opsPerSecond(() => baselineDecrypt(baselineCiphertext), 3000);
  const encryptOurs = await opsPerSecond(() => encrypt(PLAINTEXT, context), 1500);
  const encryptBase = await opsPerSecond(() => baselineEncrypt(PLAINTEXT), 3000);
  const results: BenchResult[] = [
    {
      name: "decrypt a bot token",
      value: decryptOurs,
      unit: "ops/s",
      baseline: decryptBase,
      baselineLabel: "source-doc scrypt per call",
      higherIsBetter: true,
      target: ">= 1000x the baseline",
      met: decryptOurs >= 1000 * decryptBase,
    },
    {
      name: "encrypt a bot token",
      value: encryptOurs,
      unit: "ops/s",
      baseline: encryptBase,
      baselineLabel: "source-doc scrypt per call",
      higherIsBetter: true,
    },
  ];
  return results;
}

export default suite;
