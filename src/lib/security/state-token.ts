// Signed, short-lived, one-time OAuth `state`. HS256 with a secret that has no default (env.ts fails start-up
// without it); the purpose is the audience, so a login state cannot complete a bot connect; the jti is consumed
// on first verification (OAuthStateNonce), so a captured callback URL cannot be replayed.
import { errors, jwtVerify, SignJWT, type JWTPayload } from "jose";
import { randomBytes } from "node:crypto";
import { db as defaultDb, type Db, type Tx } from "@/lib/db";
import { env } from "@/lib/env";

export const STATE_PURPOSES = ["bot-connect", "login", "apply"] as const;
export type StatePurpose = (typeof STATE_PURPOSES)[number];

const ISSUER = "guildgate";
const TTL_SECONDS = 5 * 60;
const CLOCK_TOLERANCE_SECONDS = 30;

export type SignStateTokenOptions = {
  purpose: StatePurpose;
  organizationId?: string;
  /** The signed-in user the flow belongs to; verification then requires the same user. */
  userId?: string;
  /** A same-site path to return to afterwards (the caller validates it before use). */
  redirectTo?: string;
};

export type StatePayload = {
  purpose: StatePurpose;
  organizationId?: string;
  userId?: string;
  redirectTo?: string;
  jti: string;
  issuedAt: Date;
  expiresAt: Date;
};

export type StateTokenErrorCode = "INVALID" | "EXPIRED" | "WRONG_PURPOSE" | "WRONG_USER" | "REPLAYED";

export class StateTokenError extends Error {
  constructor(
    readonly code: StateTokenErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "StateTokenError";
  }
}

let cachedKey: { secret: string; key: Uint8Array } | undefined;

function signingKey(): Uint8Array {
  const secret = env.STATE_SIGNING_SECRET;
  if (cachedKey?.secret !== secret) cachedKey = { secret, key: new TextEncoder().encode(secret) };
  return cachedKey.key;
}

export async function signStateToken(options: SignStateTokenOptions): Promise<string> {
  const claims: JWTPayload = {};
  if (options.organizationId !== undefined) claims.org = options.organizationId;
  if (options.userId !== undefined) claims.uid = options.userId;
  if (options.redirectTo !== undefined) claims.rt = options.redirectTo;
  return new SignJWT(claims)
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuer(ISSUER)
    .setAudience(options.purpose)
    .setIssuedAt()
    .setExpirationTime(`${TTL_SECONDS}s`)
    .setJti(randomBytes(16).toString("base64url"))
    .sign(signingKey());
}

export type VerifyStateTokenOptions = {
  purpose: StatePurpose;
  /** The user completing the flow; must match the user the state was signed for (both absent is a match). */
  userId?: string;
  db?: Db | Tx;
};

async function verifySignature(token: string, purpose: StatePurpose): Promise<JWTPayload> {
  try {
    const { payload } = await jwtVerify(token, signingKey(), {
      algorithms: ["HS256"],
      issuer: ISSUER,
      audience: purpose,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      maxTokenAge: TTL_SECONDS,
      requiredClaims: ["exp", "iat", "jti"],
    });
    return payload;
  } catch (error) {
    if (error instanceof errors.JWTExpired) throw new StateTokenError("EXPIRED", "The state has expired");
    // An `iat` in the future (beyond the skew) is a JWTClaimValidationFailed, hence INVALID below.
    if (error instanceof errors.JWTClaimValidationFailed && error.claim === "aud") {
      throw new StateTokenError("WRONG_PURPOSE", "The state was issued for another flow");
    }
    throw new StateTokenError("INVALID", "The state is not a valid signed state");
  }
}

function optionalString(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/**
 * Verifies and consumes a state: signature (HS256 only), issuer, purpose, expiry (30 s skew), user binding, then
 * the one-time jti. A state presented by the wrong user is not consumed, so its owner can still finish.
 */
/**
 * The last base64url character of a segment can carry unused bits, so a sibling character decodes to the same bytes
 * and the signature still verifies. Only the canonical spelling is accepted: any changed character is a new state.
 */
function isCanonicalJws(token: string): boolean {
  const parts = token.split(".");
  return parts.length === 3 && parts.every((part) => Buffer.from(part, "base64url").toString("base64url") === part);
}

export async function verifyStateToken(token: string, options: VerifyStateTokenOptions): Promise<StatePayload> {
  if (typeof token !== "string" || token.length === 0 || token.length > 4096 || !isCanonicalJws(token)) {
    throw new StateTokenError("INVALID", "The state is not a valid signed state");
  }
  const payload = await verifySignature(token, options.purpose);
  const jti = payload.jti!;
  const userId = optionalString(payload.uid);
  if ((userId ?? null) !== (options.userId ?? null)) {
    throw new StateTokenError("WRONG_USER", "The state belongs to another user");
  }
  const expiresAt = new Date(payload.exp! * 1000);
  await consumeJti({ jti, purpose: options.purpose, expiresAt, db: options.db });
  return {
    purpose: options.purpose,
    organizationId: optionalString(payload.org),
    userId,
    redirectTo: optionalString(payload.rt),
    jti,
    issuedAt: new Date(payload.iat! * 1000),
    expiresAt,
  };
}

async function consumeJti(options: { jti: string; purpose: string; expiresAt: Date; db?: Db | Tx }): Promise<void> {
  const client = options.db ?? defaultDb;
  await cleanupStateNonces({ db: client });
  // Kept until the state could no longer pass the expiry check, skew included; then the cleanup may drop it.
  const keepUntil = new Date(options.expiresAt.getTime() + (CLOCK_TOLERANCE_SECONDS + 60) * 1000);
  const inserted = await client.$executeRaw`
    INSERT INTO "OAuthStateNonce" ("jti", "purpose", "expiresAt", "createdAt")
    VALUES (${options.jti}, ${options.purpose}, ${keepUntil}, ${new Date()})
    ON CONFLICT ("jti") DO NOTHING`;
  if (inserted !== 1) throw new StateTokenError("REPLAYED", "The state has already been used");
}

/** Deletes consumed-state rows past their expiry; returns how many. Runs with every verification. */
export async function cleanupStateNonces(options: { db?: Db | Tx; now?: Date } = {}): Promise<number> {
  const { count } = await (options.db ?? defaultDb).oAuthStateNonce.deleteMany({
    where: { expiresAt: { lt: options.now ?? new Date() } },
  });
  return count;
}
