// Idempotent Create Message. Our message jobs run at least once: a job can die (or lose Discord's answer) after
// Discord accepted the POST and before the job saved the result, and then it runs again. With `enforce_nonce`,
// Discord answers a POST whose nonce the same author already used in the same channel within the last few minutes
// with the message it created then, instead of a second one. So a job sends a nonce derived from what the message
// is (never random, never the attempt), and its retry gets the first message back.
import { createHash } from "node:crypto";

/** Discord's limit for a string nonce (the spec's `"format": "nonce"`: a string of up to 25 characters). */
export const MESSAGE_NONCE_MAX_LENGTH = 25;

export type MessageNonceOptions = {
  /** What sort of message this is, so two kinds keyed by the same id never share a nonce. */
  kind: string;
  /** What identifies this one message of that kind (a row id). */
  id: string;
};

/** 24 base64url characters: the first 18 bytes of SHA-256 of kind and id (144 bits, within Discord's 25). */
export function messageNonce(options: MessageNonceOptions): string {
  return createHash("sha256").update(`${options.kind}:${options.id}`).digest().subarray(0, 18).toString("base64url");
}

/** The Create Message fields that make a retry of this message return the one already created. */
export function idempotentMessageFields(options: MessageNonceOptions): { nonce: string; enforce_nonce: true } {
  return { nonce: messageNonce(options), enforce_nonce: true };
}
