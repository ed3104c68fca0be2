// Scoped API tokens for other services. The token is shown once; we keep its SHA-256 (unique index), so
// validation is one indexed query whatever the number of tokens, instead of a bcrypt compare per stored token.
// A CRC32 checksum inside the token rejects typos and made-up tokens before the database is touched, and the
// `ggt_` prefix lets secret scanners recognise leaked ones.
import { createHash, randomBytes } from "node:crypto";
import { crc32 } from "node:zlib";
import { z } from "zod";
import { db as defaultDb, type Db, type Tx } from "@/lib/db";

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
  constructor(readonly code: ApiTokenErrorCode, message: string) {
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
  scopes: z.array(apiScope).min(1).max(API_SCOPES.length).transform((s) => [...new Set(s)]),
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
  const input = createTokenSchema.parse({ name: options.name, scopes: options.scopes, expiresInDays: options.expiresInDays });
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

export async function getToken(id: string, organizationId: string, options: { db?: Db | Tx } = {}): Promise<ApiTokenSummary | null> {
  if (!z.uuid().safeParse(id).success) return null;
  const row = await (options.db ?? defaultDb).apiToken.findFirst({ where: { id, organizationId }, select: summarySelect });
  return row ? toSummary(row) : null;
}

/**
 * Revokes a token of this organization; null when it has none with that id. Revoking twice keeps the first date.
 * Effective immediately: validation reads revokedAt on every request.
 */
export async function revokeToken(id: string, organizationId: string, options: { db?: Db | Tx } = {}): Promise<ApiTokenSummary | null> {
  if (!z.uuid().safeParse(id).success) return null;
  const client = options.db ?? defaultDb;
  await client.apiToken.updateMany({ where: { id, organizationId, revokedAt: null }, data: { revokedAt: new Date() } });
  return getToken(id, organizationId, { db: client });
}

export type ValidatedToken = { organizationId: string; tokenId: string; scopes: ApiScope[] };

/**
 * Authenticates a presented token: shape and checksum first (no query), then one lookup by SHA-256, then revoked
 * and expired. Records use at most once a minute.
 */
export async function validateToken(token: string, options: { db?: Db | Tx } = {}): Promise<ValidatedToken> {
  const format = checkApiTokenFormat(token);
  if (format === "MALFORMED") throw new ApiTokenError("MALFORMED", "The API token is not in the expected format");
  if (format === "BAD_CHECKSUM") throw new ApiTokenError("BAD_CHECKSUM", "The API token is mistyped or made up");
  const client = options.db ?? defaultDb;
  const row = await client.apiToken.findUnique({
    where: { tokenHash: hashApiToken(token) },
    select: { id: true, organizationId: true, scopes: true, expiresAt: true, revokedAt: true, lastUsedAt: true },
  });
  if (!row) throw new ApiTokenError("UNKNOWN", "The API token is not known");
  if (row.revokedAt) throw new ApiTokenError("REVOKED", "The API token has been revoked");
  if (row.expiresAt && row.expiresAt.getTime() <= Date.now()) throw new ApiTokenError("EXPIRED", "The API token has expired");
  await updateLastAccessed({ tokenId: row.id, lastUsedAt: row.lastUsedAt, db: client });
  return { organizationId: row.organizationId, tokenId: row.id, scopes: knownScopes(row.scopes) };
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
