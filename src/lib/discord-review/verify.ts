// Discord signs every interaction with the application's Ed25519 key over `timestamp + raw body`
// (X-Signature-Timestamp, X-Signature-Ed25519). node:crypto verifies Ed25519 natively once the raw 32-byte public
// key is wrapped in its SPKI header, so no dependency is needed. Discord deliberately sends invalid signatures to
// check endpoints; anything that does not verify is refused before the body is even parsed.
import { createPublicKey, verify, type KeyObject } from "node:crypto";

/** DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410); the 32 key bytes follow. */
const ED25519_SPKI_PREFIX = Buffer.from("302a300506032b6570032100", "hex");
const HEX_KEY = /^[0-9a-fA-F]{64}$/;
const HEX_SIGNATURE = /^[0-9a-fA-F]{128}$/;
const TIMESTAMP = /^\d{1,12}$/;

/** How old (or how far ahead) a signed timestamp may be: a captured request cannot be replayed later. */
export const MAX_INTERACTION_AGE_S = 5 * 60;

export function isPublicKeyHex(value: unknown): value is string {
  return typeof value === "string" && HEX_KEY.test(value);
}

export function ed25519PublicKey(hex: string): KeyObject {
  if (!isPublicKeyHex(hex)) throw new TypeError("An Ed25519 public key is 64 hex characters");
  return createPublicKey({
    key: Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(hex, "hex")]),
    format: "der",
    type: "spki",
  });
}

export type VerifyInteractionOptions = {
  publicKeyHex: string;
  signature: string | null;
  timestamp: string | null;
  rawBody: string;
  now?: Date;
};

export type VerifyResult = { ok: true } | { ok: false; reason: "missing" | "malformed" | "stale" | "invalid" };

export type PrecheckInteractionOptions = { signature: string | null; timestamp: string | null; now?: Date };

/**
 * What can be refused without the application's key, so before any database read: missing or malformed headers, and
 * a timestamp outside the window (a request claiming a fresh one still has to verify against it).
 */
export function precheckInteraction(options: PrecheckInteractionOptions): VerifyResult {
  const { signature, timestamp } = options;
  if (!signature || !timestamp) return { ok: false, reason: "missing" };
  if (!HEX_SIGNATURE.test(signature) || !TIMESTAMP.test(timestamp)) return { ok: false, reason: "malformed" };
  const nowS = Math.floor((options.now ?? new Date()).getTime() / 1000);
  if (Math.abs(nowS - Number(timestamp)) > MAX_INTERACTION_AGE_S) return { ok: false, reason: "stale" };
  return { ok: true };
}

export function verifyInteraction(options: VerifyInteractionOptions): VerifyResult {
  const { signature, timestamp } = options;
  if (!signature || !timestamp) return { ok: false, reason: "missing" };
  if (!HEX_SIGNATURE.test(signature) || !TIMESTAMP.test(timestamp) || !isPublicKeyHex(options.publicKeyHex))
    return { ok: false, reason: "malformed" };
  const valid = verify(
    null,
    Buffer.from(timestamp + options.rawBody, "utf8"),
    ed25519PublicKey(options.publicKeyHex),
    Buffer.from(signature, "hex"),
  );
  if (!valid) return { ok: false, reason: "invalid" };
  // Checked after the signature, so the timestamp is Discord's and not the caller's claim.
  const nowS = Math.floor((options.now ?? new Date()).getTime() / 1000);
  if (Math.abs(nowS - Number(timestamp)) > MAX_INTERACTION_AGE_S) return { ok: false, reason: "stale" };
  return { ok: true };
}
