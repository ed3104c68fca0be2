// Encrypted credential store, scoped by organization: every value goes through the vault (AES-256-GCM bound to
// its row by AAD) before it reaches the database, and comes back decrypted only to the caller that asked.
import type { TokenType, TokenValidity, VaultProvider } from "@/generated/prisma/enums";
import { db as defaultDb, type Db, type Tx } from "@/lib/db";
import { currentKeyVersion, decrypt, encrypt, type VaultContext } from "@/lib/crypto/vault";

/** lastUsedAt is bookkeeping, not an audit trail: one write per row per minute at most. */
export const LAST_USED_THROTTLE_MS = 60_000;

type DbOption = {
  /** Run inside a caller's transaction. */
  db?: Db | Tx;
};

export type TokenKey = DbOption & {
  organizationId: string;
  provider: VaultProvider;
  tokenType: TokenType;
  /** Distinguishes several secrets of one type (e.g. a webhook id); "" when there is one. */
  identifier?: string;
};

export type StoreTokenOptions = TokenKey & {
  value: string;
  expiresAt?: Date | null;
  validity?: TokenValidity;
};

export type StoredToken = { id: string; created: boolean };

export type DecryptedToken = {
  id: string;
  organizationId: string;
  provider: VaultProvider;
  tokenType: TokenType;
  identifier: string;
  value: string;
  expiresAt: Date | null;
  validity: TokenValidity;
  lastError: string | null;
  lastUsedAt: Date | null;
  lastRefreshedAt: Date | null;
  keyVersion: number;
};

export function vaultContext(key: {
  organizationId: string;
  provider: string;
  tokenType: string;
  identifier?: string;
}): VaultContext {
  return {
    organizationId: key.organizationId,
    provider: key.provider,
    tokenType: key.tokenType,
    identifier: key.identifier ?? "",
  };
}

/**
 * Encrypts and stores a secret in one INSERT ... ON CONFLICT on the unique key, so concurrent stores of the same
 * key leave one row (the last writer's value) and never race between a lookup and an insert.
 */
export async function storeToken(options: StoreTokenOptions): Promise<StoredToken> {
  const { organizationId, provider, tokenType, value } = options;
  const identifier = options.identifier ?? "";
  const client = options.db ?? defaultDb;
  const ciphertext = encrypt(value, vaultContext({ organizationId, provider, tokenType, identifier }));
  const keyVersion = currentKeyVersion();
  const expiresAt = options.expiresAt ?? null;
  const validity = options.validity ?? "VALID";
  const now = new Date();
  const rows = await client.$queryRaw<{ id: string; created: boolean }[]>`
    INSERT INTO "VaultSecret"
      ("organizationId", "provider", "tokenType", "identifier", "ciphertext", "keyVersion", "expiresAt", "validity", "createdAt", "updatedAt")
    VALUES
      (${organizationId}::uuid, ${provider}::"VaultProvider", ${tokenType}::"TokenType", ${identifier}, ${ciphertext},
       ${keyVersion}, ${expiresAt}, ${validity}::"TokenValidity", ${now}, ${now})
    ON CONFLICT ("organizationId", "provider", "tokenType", "identifier") DO UPDATE SET
      "ciphertext" = EXCLUDED."ciphertext",
      "keyVersion" = EXCLUDED."keyVersion",
      "expiresAt" = EXCLUDED."expiresAt",
      "validity" = EXCLUDED."validity",
      "lastError" = NULL,
      "lastRefreshedAt" = EXCLUDED."updatedAt",
      "updatedAt" = EXCLUDED."updatedAt"
    RETURNING "id"::text AS "id", (xmax = 0) AS "created"`;
  return rows[0]!;
}

/** Decrypts the secret under `key`, or null when there is none. Throws VaultError if the ciphertext is bad. */
export async function getToken(key: TokenKey): Promise<DecryptedToken | null> {
  const client = key.db ?? defaultDb;
  const identifier = key.identifier ?? "";
  const row = await client.vaultSecret.findUnique({
    where: {
      organizationId_provider_tokenType_identifier: {
        organizationId: key.organizationId,
        provider: key.provider,
        tokenType: key.tokenType,
        identifier,
      },
    },
  });
  if (!row) return null;
  const value = decrypt(row.ciphertext, vaultContext(row));
  await touchLastUsed(client, row.id, row.lastUsedAt);
  return {
    id: row.id,
    organizationId: row.organizationId,
    provider: row.provider,
    tokenType: row.tokenType,
    identifier: row.identifier,
    value,
    expiresAt: row.expiresAt,
    validity: row.validity,
    lastError: row.lastError,
    lastUsedAt: row.lastUsedAt,
    lastRefreshedAt: row.lastRefreshedAt,
    keyVersion: row.keyVersion,
  };
}

async function touchLastUsed(client: Db | Tx, id: string, lastUsedAt: Date | null): Promise<void> {
  const now = Date.now();
  if (lastUsedAt && now - lastUsedAt.getTime() < LAST_USED_THROTTLE_MS) return;
  // Conditional, so instances reading the same row at once write it once; raw because Prisma wraps updateMany
  // in BEGIN/COMMIT (three round trips for bookkeeping).
  await client.$executeRaw`
    UPDATE "VaultSecret" SET "lastUsedAt" = ${new Date(now)}
    WHERE "id" = ${id}::uuid AND ("lastUsedAt" IS NULL OR "lastUsedAt" < ${new Date(now - LAST_USED_THROTTLE_MS)})`;
}

export type GetAccessTokenOptions = Omit<TokenKey, "tokenType"> & {
  /** needsRefresh is true when the token expires within this many minutes. */
  refreshBufferMinutes?: number;
};

export type AccessToken = { token: DecryptedToken; needsRefresh: boolean };

/** The access token when usable: null if missing, invalid or expired (an expired one is marked invalid). */
export async function getAccessToken(options: GetAccessTokenOptions): Promise<AccessToken | null> {
  const { refreshBufferMinutes = 5, ...key } = options;
  const token = await getToken({ ...key, tokenType: "ACCESS_TOKEN" });
  if (!token || token.validity === "INVALID") return null;
  const now = Date.now();
  if (token.expiresAt && token.expiresAt.getTime() <= now) {
    await markTokenInvalid({ db: key.db, organizationId: key.organizationId, id: token.id, error: "Token expired" });
    return null;
  }
  const needsRefresh = token.expiresAt !== null && token.expiresAt.getTime() - now < refreshBufferMinutes * 60_000;
  return { token, needsRefresh };
}

export async function getRefreshToken(key: Omit<TokenKey, "tokenType">): Promise<DecryptedToken | null> {
  return getToken({ ...key, tokenType: "REFRESH_TOKEN" });
}

export type TokenRowOptions = DbOption & { organizationId: string; id: string };

/** Records that a secret stopped working. `error` is a short reason: never the secret or a raw provider body. */
export async function markTokenInvalid(options: TokenRowOptions & { error: string }): Promise<boolean> {
  const { count } = await (options.db ?? defaultDb).vaultSecret.updateMany({
    where: { id: options.id, organizationId: options.organizationId },
    data: { validity: "INVALID", lastError: options.error.slice(0, 500) },
  });
  return count === 1;
}

/** Records that a secret was just used successfully. */
export async function markTokenValid(options: TokenRowOptions): Promise<boolean> {
  const { count } = await (options.db ?? defaultDb).vaultSecret.updateMany({
    where: { id: options.id, organizationId: options.organizationId },
    data: { validity: "VALID", lastError: null },
  });
  return count === 1;
}

export async function deleteToken(options: TokenRowOptions): Promise<boolean> {
  const { count } = await (options.db ?? defaultDb).vaultSecret.deleteMany({
    where: { id: options.id, organizationId: options.organizationId },
  });
  return count === 1;
}

export type DeleteProviderTokensOptions = DbOption & { organizationId: string; provider: VaultProvider };

/** Deletes every secret of one provider for an organization (e.g. on bot disconnect); returns how many. */
export async function deleteProviderTokens(options: DeleteProviderTokensOptions): Promise<number> {
  const { count } = await (options.db ?? defaultDb).vaultSecret.deleteMany({
    where: { organizationId: options.organizationId, provider: options.provider },
  });
  return count;
}

export type FindExpiringTokensOptions = DbOption & { withinMinutes: number; provider?: VaultProvider; limit?: number };

export type ExpiringToken = {
  id: string;
  organizationId: string;
  provider: VaultProvider;
  tokenType: TokenType;
  identifier: string;
  expiresAt: Date;
};

/** Access tokens not known to be invalid that expire within the window (or already have), soonest first. */
export async function findExpiringTokens(options: FindExpiringTokensOptions): Promise<ExpiringToken[]> {
  const expiresBy = new Date(Date.now() + options.withinMinutes * 60_000);
  const rows = await (options.db ?? defaultDb).vaultSecret.findMany({
    where: {
      tokenType: "ACCESS_TOKEN",
      validity: { not: "INVALID" },
      expiresAt: { not: null, lt: expiresBy },
      ...(options.provider ? { provider: options.provider } : {}),
    },
    select: { id: true, organizationId: true, provider: true, tokenType: true, identifier: true, expiresAt: true },
    orderBy: { expiresAt: "asc" },
    take: options.limit ?? 500,
  });
  return rows.map((r) => ({ ...r, expiresAt: r.expiresAt! }));
}
