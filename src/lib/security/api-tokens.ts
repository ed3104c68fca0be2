// Length (past ~300 lines): the token format, creation, validation and revocation of one kind of secret.
// Scoped API tokens for other services. The token is shown once; we keep its SHA-256 (unique index), so
// validation is one indexed query whatever the number of tokens, instead of a bcrypt compare per stored token.
// A CRC32 checksum inside the token rejects typos and made-up tokens before the database is touched, and the
// `ggt_` prefix lets secret scanners recognise leaked ones.
import { createHash, randomBytes } from "node:crypto";
import { crc32 } from "node:zlib";
import { z } from "zod";
import type { ConnectionState, OrganizationStatus } from "@/generated/prisma/enums";
import { db as defaultDb, type Db, type Tx } from "@/lib/db";
import { cachedToken, cacheToken, notifyApiTokensChanged } from "@/lib/security/api-token-cache";

export const API_SCOPES = ["applications:write", "applications:read", "roles:assign"] as const;
export type ApiScope = (typeof API_SCOPES)[number];

export const TOKEN_PREFIX = "ggt_";
const RANDOM_LENGTH = 30;
const CHECKSUM_LENGTH = 6;
const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const TOKEN_SHAPE = new RegExp(`^${TOKEN_PREFIX}[0-9A-Za-z]{${RANDOM_LENGTH + CHECKSUM_LENGTH}}$`);
/** Characters shown in lists to recognise a token: the prefix and the first 8 random characters. */
const DISPLAY_LENGTH = TOKEN_PREFIX.length + 8;
const LAST_USED_THROTTLE_MS = 60_000;
const MAX_EXPIRY_DAYS = 3650;

export type ApiTokenErrorCode = "MALFORMED" | "BAD_CHECKSUM" | "UNKNOWN" | "REVOKED" | "EXPIRED";

/** Messages never contain the token. */
export class ApiTokenError extends Error {
  constructor(
    readonly code: ApiTokenErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "ApiTokenError";
  }
}

function randomBase62(length: number): string {
  let out = "";
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      // 248 = 4 * 62: rejecting the top bytes keeps every character equally likely.
      if (byte < 248 && out.length < length) out += BASE62[byte % 62];
    }
  }
  return out;
}

function checksum(body: string): string {
  let n = crc32(body);
  let out = "";
  for (let i = 0; i < CHECKSUM_LENGTH; i++) {
    out = BASE62[n % 62] + out;
    n = Math.floor(n / 62);
  }
  return out;
}

/** SHA-256 (hex) of a token: what the database stores and looks up. */
export function hashApiToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** A new token: `ggt_` + 30 random base62 characters + a 6-character base62 CRC32 of everything before it. */
export function generateApiToken(): string {
  const body = TOKEN_PREFIX + randomBase62(RANDOM_LENGTH);
  return body + checksum(body);
}

/** Shape and checksum only, no database: for secret scanners and early rejection. */
export function checkApiTokenFormat(token: unknown): "OK" | "MALFORMED" | "BAD_CHECKSUM" {
  if (typeof token !== "string" || !TOKEN_SHAPE.test(token)) return "MALFORMED";
  const body = token.slice(0, -CHECKSUM_LENGTH);
  return checksum(body) === token.slice(-CHECKSUM_LENGTH) ? "OK" : "BAD_CHECKSUM";
}

export const apiScope = z.enum(API_SCOPES);

/** Input of the create route; createToken validates with it too. */
export const createTokenSchema = z.object({
  name: z.string().trim().min(1).max(100),
  scopes: z
    .array(apiScope)
    .min(1)
    .max(API_SCOPES.length)
    .transform((s) => [...new Set(s)]),
  expiresInDays: z.number().int().min(1).max(MAX_EXPIRY_DAYS).optional(),
});

export type CreateTokenOptions = z.input<typeof createTokenSchema> & {
  organizationId: string;
  createdById: string | null;
  db?: Db | Tx;
};

/** What lists and details show: never the hash, never the token. */
export type ApiTokenSummary = {
  id: string;
  organizationId: string;
  name: string;
  prefix: string;
  scopes: ApiScope[];
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  createdById: string | null;
  createdAt: Date;
};

/** The one response that carries the plaintext token; show it once. */
export type CreatedApiToken = ApiTokenSummary & { token: string };

const summarySelect = {
  id: true,
  organizationId: true,
  name: true,
  prefix: true,
  scopes: true,
  expiresAt: true,
  lastUsedAt: true,
  revokedAt: true,
  createdById: true,
  createdAt: true,
} as const;

type SummaryRow = Omit<ApiTokenSummary, "scopes"> & { scopes: string[] };

// Stored scopes are plain strings; a scope this version no longer knows grants nothing.
function knownScopes(scopes: string[]): ApiScope[] {
  return scopes.filter((s): s is ApiScope => (API_SCOPES as readonly string[]).includes(s));
}

function toSummary(row: SummaryRow): ApiTokenSummary {
  return { ...row, scopes: knownScopes(row.scopes) };
}

/** Creates a token and returns it in plaintext, once. Throws a ZodError for a bad name, scopes or expiry. */
export async function createToken(options: CreateTokenOptions): Promise<CreatedApiToken> {
  const input = createTokenSchema.parse({
    name: options.name,
    scopes: options.scopes,
    expiresInDays: options.expiresInDays,
  });
  const token = generateApiToken();
  const expiresAt = input.expiresInDays ? new Date(Date.now() + input.expiresInDays * 86_400_000) : null;
  const row = await (options.db ?? defaultDb).apiToken.create({
    data: {
      organizationId: options.organizationId,
      name: input.name,
      prefix: token.slice(0, DISPLAY_LENGTH),
      tokenHash: hashApiToken(token),
      scopes: input.scopes,
      expiresAt,
      createdById: options.createdById,
    },
    select: summarySelect,
  });
  return { ...toSummary(row), token };
}

/** An organization's tokens, newest first (revoked and expired ones included, marked by their dates). */
export async function listTokens(organizationId: string, options: { db?: Db | Tx } = {}): Promise<ApiTokenSummary[]> {
  const rows = await (options.db ?? defaultDb).apiToken.findMany({
    where: { organizationId },
    select: summarySelect,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
  });
  return rows.map(toSummary);
}

export async function getToken(
  id: string,
  organizationId: string,
  options: { db?: Db | Tx } = {},
): Promise<ApiTokenSummary | null> {
  if (!z.uuid().safeParse(id).success) return null;
  const row = await (options.db ?? defaultDb).apiToken.findFirst({
    where: { id, organizationId },
    select: summarySelect,
  });
  return row ? toSummary(row) : null;
}

/**
 * Revokes a token of this organization; null when it has none with that id. Revoking twice keeps the first date.
 * Effective immediately: validated tokens are cached for 30 s at most, and this evicts the organization's cached
 * tokens here and (with the commit) in every instance.
 */
export async function revokeToken(
  id: string,
  organizationId: string,
  options: { db?: Db | Tx } = {},
): Promise<ApiTokenSummary | null> {
  if (!z.uuid().safeParse(id).success) return null;
  const client = options.db ?? defaultDb;
  await client.apiToken.updateMany({ where: { id, organizationId, revokedAt: null }, data: { revokedAt: new Date() } });
  await notifyApiTokensChanged(organizationId, client);
  return getToken(id, organizationId, { db: client });
}

/** What a request authenticated by a token acts with: the token, its organization and its bot connection. */
export type ValidatedToken = {
  organizationId: string;
  tokenId: string;
  scopes: ApiScope[];
  organization: { id: string; slug: string; name: string; status: OrganizationStatus };
  connection: {
    guildId: string | null;
    approvedRoleId: string | null;
    assignableRoleIds: string[];
    state: ConnectionState;
  } | null;
};

type TokenRow = {
  id: string;
  organizationId: string;
  scopes: string[];
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
  slug: string;
  name: string;
  status: OrganizationStatus;
  guildId: string | null;
  approvedRoleId: string | null;
  assignableRoleIds: string[] | null;
  connectionState: ConnectionState | null;
};

type CachedToken = ValidatedToken & { expiresAt: Date | null; lastUsedAt: Date | null };

/** Token, organization and connection in one statement (Prisma would send one query per relation). */
async function loadToken(hash: string, client: Db | Tx): Promise<TokenRow | undefined> {
  const rows = await client.$queryRaw<TokenRow[]>`
    SELECT t.id::text AS id, t."organizationId"::text AS "organizationId", t.scopes, t."expiresAt", t."revokedAt", t."lastUsedAt",
      o.slug, o.name, o.status, c."guildId", c."approvedRoleId", c."assignableRoleIds", c.state AS "connectionState"
    FROM "ApiToken" t
    JOIN "Organization" o ON o.id = t."organizationId"
    LEFT JOIN "DiscordConnection" c ON c."organizationId" = t."organizationId"
    WHERE t."tokenHash" = ${hash}`;
  return rows[0];
}

function toValidated(row: TokenRow): CachedToken {
  return {
    organizationId: row.organizationId,
    tokenId: row.id,
    scopes: knownScopes(row.scopes),
    organization: { id: row.organizationId, slug: row.slug, name: row.name, status: row.status },
    connection: row.connectionState
      ? {
          guildId: row.guildId,
          approvedRoleId: row.approvedRoleId,
          assignableRoleIds: row.assignableRoleIds ?? [],
          state: row.connectionState,
        }
      : null,
    expiresAt: row.expiresAt,
    lastUsedAt: row.lastUsedAt,
  };
}

/**
 * Authenticates a presented token: shape and checksum first (no query), then the short-lived cache
 * (api-token-cache.ts), else one statement for token, organization and connection; then revoked and expired.
 * Records use at most once a minute.
 */
export async function validateToken(token: string, options: { db?: Db | Tx } = {}): Promise<ValidatedToken> {
  const format = checkApiTokenFormat(token);
  if (format === "MALFORMED") throw new ApiTokenError("MALFORMED", "The API token is not in the expected format");
  if (format === "BAD_CHECKSUM") throw new ApiTokenError("BAD_CHECKSUM", "The API token is mistyped or made up");
  const client = options.db ?? defaultDb;
  const hash = hashApiToken(token);
  let entry = cachedToken<CachedToken>(hash);
  if (!entry) {
    const row = await loadToken(hash, client);
    if (!row) throw new ApiTokenError("UNKNOWN", "The API token is not known");
    if (row.revokedAt) throw new ApiTokenError("REVOKED", "The API token has been revoked");
    entry = toValidated(row);
    cacheToken(hash, entry);
  }
  if (entry.expiresAt && entry.expiresAt.getTime() <= Date.now())
    throw new ApiTokenError("EXPIRED", "The API token has expired");
  if (!entry.lastUsedAt || Date.now() - entry.lastUsedAt.getTime() >= LAST_USED_THROTTLE_MS) {
    await updateLastAccessed({ tokenId: entry.tokenId, lastUsedAt: entry.lastUsedAt, db: client });
    entry.lastUsedAt = new Date();
  }
  const { expiresAt: _expiresAt, lastUsedAt: _lastUsedAt, ...validated } = entry;
  return validated;
}

export type UpdateLastAccessedOptions = {
  tokenId: string;
  /** The value already read, if any: skips the write without a query while it is less than a minute old. */
  lastUsedAt?: Date | null;
  db?: Db | Tx;
};

/** Sets lastUsedAt unless it was set less than a minute ago (conditional, so concurrent requests write once). */
export async function updateLastAccessed(options: UpdateLastAccessedOptions): Promise<void> {
  const now = Date.now();
  if (options.lastUsedAt && now - options.lastUsedAt.getTime() < LAST_USED_THROTTLE_MS) return;
  // Raw: Prisma wraps updateMany in BEGIN/COMMIT, three round trips on the request path instead of one.
  await (options.db ?? defaultDb).$executeRaw`
    UPDATE "ApiToken" SET "lastUsedAt" = ${new Date(now)}
    WHERE "id" = ${options.tokenId}::uuid
      AND ("lastUsedAt" IS NULL OR "lastUsedAt" < ${new Date(now - LAST_USED_THROTTLE_MS)})`;
}
