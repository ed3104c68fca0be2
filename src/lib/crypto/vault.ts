// AES-256-GCM envelope for secrets at rest. Keys come from VAULT_KEYS as given (32 random bytes each), so nothing
// is derived per call. Ciphertexts carry their format and key version in front, and are bound to the row they
// belong to through AAD, so a ciphertext copied into another tenant's (or provider's, or type's) row fails.
import { createCipheriv, createDecipheriv, createSecretKey, randomBytes, type KeyObject } from "node:crypto";
import { env } from "@/lib/env";

const FORMAT = "gg1";
const ALGORITHM = "aes-256-gcm";
const IV_BYTES = 12;
const TAG_BYTES = 16;
const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** What a secret belongs to; bound as AAD, so decrypting needs the same context. */
export type VaultContext = {
  organizationId: string;
  provider: string;
  tokenType: string;
  identifier: string;
};

export type VaultErrorCode = "MALFORMED" | "UNKNOWN_KEY_VERSION" | "TAMPERED";

/** Messages never include the plaintext, the ciphertext or a key. */
export class VaultError extends Error {
  constructor(
    readonly code: VaultErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "VaultError";
  }
}

type Keyring = { current: number; keys: Map<number, KeyObject> };

// Built once per parsed environment (tests that change VAULT_KEYS get a new Map, hence a new keyring).
const keyrings = new WeakMap<Map<number, Buffer>, Keyring>();

function keyring(): Keyring {
  const raw = env.VAULT_KEYS;
  let ring = keyrings.get(raw);
  if (!ring) {
    const keys = new Map<number, KeyObject>();
    for (const [version, key] of raw) keys.set(version, createSecretKey(key));
    ring = { current: Math.max(...keys.keys()), keys };
    keyrings.set(raw, ring);
  }
  return ring;
}

/** The key version new ciphertexts are written with (the highest in VAULT_KEYS). */
export function currentKeyVersion(): number {
  return keyring().current;
}

function aad(version: number, context: VaultContext): Buffer {
  // JSON keeps the fields unambiguous (no separator a value could contain); the version is bound too, so
  // relabelling a ciphertext with another known version fails authentication.
  return Buffer.from(
    JSON.stringify([FORMAT, version, context.organizationId, context.provider, context.tokenType, context.identifier]),
    "utf8",
  );
}

/** `gg1.v<version>.<iv>.<data>.<tag>`, parts in base64url. A random IV per call: equal plaintexts differ. */
export function encrypt(plaintext: string, context: VaultContext): string {
  const { current, keys } = keyring();
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, keys.get(current)!, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad(current, context));
  const data = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [FORMAT, `v${current}`, iv.toString("base64url"), data.toString("base64url"), tag.toString("base64url")].join(
    ".",
  );
}

type Parsed = { version: number; iv: Buffer; data: Buffer; tag: Buffer };

function strictBase64url(part: string, what: string): Buffer {
  const bytes = Buffer.from(part, "base64url");
  // Node's decoder skips invalid characters and ignores trailing bits; only the canonical spelling is accepted.
  if (!BASE64URL.test(part) || bytes.toString("base64url") !== part) {
    throw new VaultError("MALFORMED", `Ciphertext ${what} is not valid base64url`);
  }
  return bytes;
}

function parse(ciphertext: string): Parsed {
  if (typeof ciphertext !== "string") throw new VaultError("MALFORMED", "Ciphertext must be a string");
  const parts = ciphertext.split(".");
  if (parts.length !== 5 || parts[0] !== FORMAT) throw new VaultError("MALFORMED", "Ciphertext has an unknown format");
  const versionMatch = /^v(0|[1-9]\d{0,5})$/.exec(parts[1]!);
  if (!versionMatch) throw new VaultError("MALFORMED", "Ciphertext has no valid key version");
  const iv = strictBase64url(parts[2]!, "IV");
  const data = strictBase64url(parts[3]!, "data");
  const tag = strictBase64url(parts[4]!, "tag");
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) {
    throw new VaultError("MALFORMED", "Ciphertext IV or tag has the wrong length");
  }
  return { version: Number(versionMatch[1]), iv, data, tag };
}

/** The key version a ciphertext was written with (throws MALFORMED for anything else). */
export function keyVersionOf(ciphertext: string): number {
  return parse(ciphertext).version;
}

export function decrypt(ciphertext: string, context: VaultContext): string {
  const { version, iv, data, tag } = parse(ciphertext);
  const key = keyring().keys.get(version);
  if (!key) throw new VaultError("UNKNOWN_KEY_VERSION", `No vault key with version ${version} is configured`);
  const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(aad(version, context));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(data), decipher.final()]).toString("utf8");
  } catch {
    throw new VaultError("TAMPERED", "Ciphertext failed authentication (tampered, or bound to another context)");
  }
}
