import { afterEach, describe, expect, it, vi } from "vitest";
import pg from "pg";
import { ZodError } from "zod";
import { db } from "@/lib/db";
import {
  ApiTokenError,
  createToken,
  generateApiToken,
  getToken,
  hashApiToken,
  listTokens,
  revokeToken,
  updateLastAccessed,
  validateToken,
} from "@/lib/security/api-tokens";
import { apiTokenCacheReady, evictOrganization } from "@/lib/security/api-token-cache";
import { TOKEN_INVALIDATION_CHANNEL } from "@/lib/discord/token-invalidation";
import { env } from "@/lib/env";
import { createOrganization } from "~tests/helpers/security";
import { waitFor } from "~tests/helpers/applications";

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

async function codeOf(token: string): Promise<string> {
  try {
    await validateToken(token);
  } catch (error) {
    if (error instanceof ApiTokenError) return error.code;
    throw error;
  }
  return "OK";
}

/** Counts every statement sent to PostgreSQL by any pg client in this process while `fn` runs. */
async function countQueries(fn: () => Promise<unknown>): Promise<number> {
  const spy = vi.spyOn(pg.Client.prototype, "query");
  try {
    await fn();
    return spy.mock.calls.length;
  } finally {
    spy.mockRestore();
  }
}

async function newToken(overrides: Partial<Parameters<typeof createToken>[0]> = {}) {
  const org = await createOrganization();
  const created = await createToken({
    organizationId: org.id,
    name: "CI",
    scopes: ["applications:write"],
    createdById: null,
    ...overrides,
  });
  return { org, created };
}

describe("createToken", () => {
  it("returns the token once and stores only its SHA-256 and a display prefix", async () => {
    const { org, created } = await newToken({
      scopes: ["applications:write", "roles:assign", "roles:assign"],
      expiresInDays: 30,
    });
    expect(created.token).toMatch(/^ggt_[0-9A-Za-z]{36}$/);
    expect(created).toMatchObject({
      organizationId: org.id,
      name: "CI",
      scopes: ["applications:write", "roles:assign"],
      revokedAt: null,
    });
    expect(created.prefix).toBe(created.token.slice(0, 12));
    expect(created.expiresAt!.getTime() - Date.now()).toBeGreaterThan(29.9 * 86_400_000);

    const row = await db.apiToken.findUniqueOrThrow({ where: { id: created.id } });
    expect(row.tokenHash).toBe(hashApiToken(created.token));
    const [dump] = await db.$queryRaw<{ row: string }[]>`SELECT row_to_json(t)::text AS "row" FROM "ApiToken" t`;
    expect(dump!.row).not.toContain(created.token);
    expect(dump!.row).not.toContain(created.token.slice(12));
  });

  it("rejects an unknown scope, no scope, an empty name or a bad expiry, and writes nothing", async () => {
    const org = await createOrganization();
    const base = { organizationId: org.id, name: "x", scopes: ["applications:read"] as const, createdById: null };
    const bad = [
      { ...base, scopes: ["admin:all"] },
      { ...base, scopes: [] },
      { ...base, name: "   " },
      { ...base, name: "n".repeat(101) },
      { ...base, expiresInDays: 0 },
      { ...base, expiresInDays: 1.5 },
      { ...base, expiresInDays: 100_000 },
    ];
    for (const options of bad) {
      await expect(createToken(options as Parameters<typeof createToken>[0])).rejects.toBeInstanceOf(ZodError);
    }
    expect(await db.apiToken.count()).toBe(0);
  });
});

describe("validateToken", () => {
  it("returns the organization, token id and scopes of a live token", async () => {
    const { org, created } = await newToken({ scopes: ["applications:read", "roles:assign"] });
    expect(await validateToken(created.token)).toEqual({
      organizationId: org.id,
      tokenId: created.id,
      scopes: ["applications:read", "roles:assign"],
      organization: { id: org.id, slug: org.slug, name: expect.any(String), status: "ACTIVE" },
      connection: null,
    });
  });

  it("rejects mistyped and made-up tokens without a single query", async () => {
    const { created } = await newToken();
    const t = created.token;
    const typo = t.slice(0, 20) + (t[20] === "a" ? "b" : "a") + t.slice(21);
    const queries = await countQueries(async () => {
      expect(await codeOf(typo)).toBe("BAD_CHECKSUM");
      expect(await codeOf("ggt_" + "A".repeat(36))).toBe("BAD_CHECKSUM");
      expect(await codeOf("not-a-token")).toBe("MALFORMED");
      expect(await codeOf("")).toBe("MALFORMED");
    });
    expect(queries).toBe(0);
    // The counter does see queries: a well-formed unknown token costs one lookup.
    const lookup = await countQueries(async () => expect(await codeOf(generateApiToken())).toBe("UNKNOWN"));
    expect(lookup).toBe(1);
  });

  it("a valid token costs one query for token, organization and connection (plus one lastUsedAt write a minute), then none while cached", async () => {
    const { org, created } = await newToken();
    await apiTokenCacheReady();
    expect(await countQueries(() => validateToken(created.token))).toBe(2);
    expect(await countQueries(() => validateToken(created.token))).toBe(0);
    evictOrganization(org.id);
    expect(await countQueries(() => validateToken(created.token))).toBe(1);
  });

  it("another instance's revoke evicts this instance's cached token through the invalidation channel", async () => {
    const { org, created } = await newToken();
    await apiTokenCacheReady();
    expect(await codeOf(created.token)).toBe("OK");
    // The revoke as another instance does it: a plain connection, the row updated and the channel notified.
    const other = new pg.Client({ connectionString: env.DATABASE_URL });
    await other.connect();
    try {
      await other.query(`UPDATE "ApiToken" SET "revokedAt" = now() WHERE id = $1`, [created.id]);
      await other.query("SELECT pg_notify($1, $2)", [
        TOKEN_INVALIDATION_CHANNEL,
        JSON.stringify({ organizationId: org.id }),
      ]);
    } finally {
      await other.end();
    }
    await waitFor(
      () => codeOf(created.token),
      (code) => code === "REVOKED",
    );
  });

  it("fails a revoked token with REVOKED, immediately", async () => {
    const { org, created } = await newToken();
    expect(await codeOf(created.token)).toBe("OK");
    const revoked = await revokeToken(created.id, org.id);
    expect(revoked!.revokedAt).toBeInstanceOf(Date);
    expect(await codeOf(created.token)).toBe("REVOKED");
  });

  it("fails an expired token with EXPIRED", async () => {
    const { created } = await newToken({ expiresInDays: 1 });
    expect(await codeOf(created.token)).toBe("OK");
    vi.useFakeTimers({ toFake: ["Date"], now: new Date(Date.now() + 86_400_000 + 1000) });
    expect(await codeOf(created.token)).toBe("EXPIRED");
  });

  it("never puts the token in an error", async () => {
    const { org, created } = await newToken();
    await revokeToken(created.id, org.id);
    const error = (await validateToken(created.token).catch((e) => e)) as Error;
    expect(`${error.message} ${error.stack}`).not.toContain(created.token);
  });
});

describe("updateLastAccessed", () => {
  it("writes lastUsedAt at most once a minute", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: new Date("2026-04-01T08:00:00Z") });
    const { created } = await newToken();
    const lastUsed = async () =>
      (await db.apiToken.findUniqueOrThrow({ where: { id: created.id } })).lastUsedAt?.toISOString();
    await validateToken(created.token);
    expect(await lastUsed()).toBe("2026-04-01T08:00:00.000Z");
    vi.setSystemTime(new Date("2026-04-01T08:00:59Z"));
    await validateToken(created.token);
    await updateLastAccessed({ tokenId: created.id });
    expect(await lastUsed()).toBe("2026-04-01T08:00:00.000Z");
    vi.setSystemTime(new Date("2026-04-01T08:01:01Z"));
    await validateToken(created.token);
    expect(await lastUsed()).toBe("2026-04-01T08:01:01.000Z");
  });
});

describe("listTokens / getToken / revokeToken", () => {
  it("lists an organization's tokens newest first, never with hashes or tokens", async () => {
    const { org, created: first } = await newToken({ name: "first" });
    const second = await createToken({
      organizationId: org.id,
      name: "second",
      scopes: ["roles:assign"],
      createdById: null,
    });
    await newToken({ name: "other org" });
    const list = await listTokens(org.id);
    expect(list.map((t) => t.name)).toEqual(["second", "first"]);
    const text = JSON.stringify(list);
    expect(text).not.toContain("tokenHash");
    expect(text).not.toMatch(/[0-9a-f]{64}/);
    expect(text).not.toContain(first.token);
    expect(text).not.toContain(second.token);
    expect(list[0]).not.toHaveProperty("token");
  });

  it("scopes get and revoke to the organization", async () => {
    const { org, created } = await newToken();
    const other = await createOrganization();
    expect(await getToken(created.id, other.id)).toBeNull();
    expect(await revokeToken(created.id, other.id)).toBeNull();
    expect(await codeOf(created.token)).toBe("OK");
    expect((await getToken(created.id, org.id))!.name).toBe("CI");
    expect(await getToken("not-a-uuid", org.id)).toBeNull();
    expect(await revokeToken("not-a-uuid", org.id)).toBeNull();
  });

  it("keeps the first revocation date when revoked twice", async () => {
    const { org, created } = await newToken();
    const first = await revokeToken(created.id, org.id);
    const second = await revokeToken(created.id, org.id);
    expect(second!.revokedAt).toEqual(first!.revokedAt);
  });
});
