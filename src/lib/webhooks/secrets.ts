// Signing secrets (Standard Webhooks' `whsec_` + base64 of 32 random bytes) live in the vault, bound to their
// endpoint. A rotation keeps the old secret as "<endpoint id>:previous" until its expiry: meanwhile every delivery
// carries both signatures, so receivers can switch secrets without losing a message.
import { randomBytes } from "node:crypto";
import { Webhook } from "standardwebhooks";
import type { Db, Tx } from "@/lib/db";
import { db as defaultDb } from "@/lib/db";
import { deleteToken, getToken, storeToken } from "@/lib/crypto/token-vault";

export function generateSigningSecret(): string {
  return `whsec_${randomBytes(32).toString("base64")}`;
}

const key = (organizationId: string, identifier: string, db?: Db | Tx) =>
  ({ db, organizationId, provider: "WEBHOOK", tokenType: "WEBHOOK_SECRET", identifier }) as const;

const previousId = (endpointId: string) => `${endpointId}:previous`;

export type StoreSecretOptions = { db: Db | Tx; organizationId: string; endpointId: string; secret: string };

export async function storeSigningSecret(options: StoreSecretOptions): Promise<void> {
  await storeToken({
    ...key(options.organizationId, options.endpointId, options.db),
    value: options.secret,
    validity: "VALID",
  });
}

export type RotateSecretOptions = { tx: Tx; organizationId: string; endpointId: string; overlapMs: number };

/** Replaces the secret; the old one keeps signing for `overlapMs`. Returns the new secret (shown once). */
export async function rotateSigningSecret(
  options: RotateSecretOptions,
): Promise<{ secret: string; previousExpiresAt: Date | null }> {
  const { tx, organizationId, endpointId } = options;
  const current = await getToken(key(organizationId, endpointId, tx));
  let previousExpiresAt: Date | null = null;
  if (current) {
    previousExpiresAt = new Date(Date.now() + options.overlapMs);
    await storeToken({
      ...key(organizationId, previousId(endpointId), tx),
      value: current.value,
      expiresAt: previousExpiresAt,
      validity: "VALID",
    });
  }
  const secret = generateSigningSecret();
  await storeSigningSecret({ db: tx, organizationId, endpointId, secret });
  return { secret, previousExpiresAt };
}

export type SigningSecretsOptions = { db?: Db | Tx; organizationId: string; endpointId: string; now?: Date };

/** The secrets that sign now: the current one, and the previous one while its overlap lasts. */
export async function signingSecrets(options: SigningSecretsOptions): Promise<string[]> {
  const client = options.db ?? defaultDb;
  const now = options.now ?? new Date();
  const current = await getToken(key(options.organizationId, options.endpointId, client));
  const previous = await getToken(key(options.organizationId, previousId(options.endpointId), client));
  const secrets = current ? [current.value] : [];
  if (previous && previous.expiresAt && previous.expiresAt > now) secrets.push(previous.value);
  else if (previous) await deleteToken({ db: client, organizationId: options.organizationId, id: previous.id });
  return secrets;
}

export type SignOptions = { secrets: readonly string[]; messageId: string; timestamp: Date; body: string };

/** The Standard Webhooks headers: one `v1,<signature>` per secret, space-separated. */
export function signHeaders(options: SignOptions): Record<string, string> {
  const signatures = options.secrets.map((s) =>
    new Webhook(s).sign(options.messageId, options.timestamp, options.body),
  );
  return {
    "webhook-id": options.messageId,
    "webhook-timestamp": String(Math.floor(options.timestamp.getTime() / 1000)),
    "webhook-signature": signatures.join(" "),
  };
}

export type DeleteSecretsOptions = { tx: Tx; organizationId: string; endpointId: string };

export async function deleteSigningSecrets(options: DeleteSecretsOptions): Promise<void> {
  await options.tx.vaultSecret.deleteMany({
    where: {
      organizationId: options.organizationId,
      provider: "WEBHOOK",
      identifier: { in: [options.endpointId, previousId(options.endpointId)] },
    },
  });
}
