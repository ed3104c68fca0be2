import { afterEach, describe, expect, it, vi } from "vitest";
import pg from "pg";
import { db } from "@/lib/db";
import {
  deleteProviderTokens,
  deleteToken,
  findExpiringTokens,
  getAccessToken,
  getRefreshToken,
  getToken,
  markTokenInvalid,
  markTokenValid,
  storeToken,
} from "@/lib/crypto/token-vault";
import { VaultError } from "@/lib/crypto/vault";
import { createOrganization } from "~tests/helpers/security";

afterEach(() => vi.useRealTimers());

const BOT_TOKEN = "MTEwMDAwMDAwMDAwMDAwMDAwMQ.GabCde.bot-token-plaintext-0123456789abcdefghij";

describe("storeToken / getToken", () => {
  it("stores encrypted and returns the plaintext to its organization only", async () => {
    const org = await createOrganization();
    const other = await createOrganization();
    const stored = await storeToken({
      organizationId: org.id,
      provider: "DISCORD_BOT",
      tokenType: "BOT_TOKEN",
      value: BOT_TOKEN,
    });
    expect(stored.created).toBe(true);

    const token = await getToken({ organizationId: org.id, provider: "DISCORD_BOT", tokenType: "BOT_TOKEN" });
    expect(token).toMatchObject({ id: stored.id, value: BOT_TOKEN, validity: "VALID", identifier: "" });
    expect(await getToken({ organizationId: other.id, provider: "DISCORD_BOT", tokenType: "BOT_TOKEN" })).toBeNull();
    expect(await getToken({ organizationId: org.id, provider: "DISCORD_OAUTH", tokenType: "BOT_TOKEN" })).toBeNull();
  });

  it("updates in place on a second store and clears the error", async () => {
    const org = await createOrganization();
    const key = { organizationId: org.id, provider: "DISCORD_BOT", tokenType: "BOT_TOKEN" } as const;
    const first = await storeToken({ ...key, value: "first-value" });
    await markTokenInvalid({ organizationId: org.id, id: first.id, error: "401 from Discord" });
    const second = await storeToken({ ...key, value: "second-value" });
    expect(second).toEqual({ id: first.id, created: false });
    const token = await getToken(key);
    expect(token).toMatchObject({ value: "second-value", validity: "VALID", lastError: null });
    expect(token!.lastRefreshedAt).toBeInstanceOf(Date);
  });

  it("two concurrent stores of one key leave one row holding one of the values", async () => {
    const org = await createOrganization();
    const key = {
      organizationId: org.id,
      provider: "DISCORD_OAUTH",
      tokenType: "ACCESS_TOKEN",
      identifier: "x",
    } as const;
    const values = Array.from({ length: 8 }, (_, i) => `concurrent-value-${i}`);
    const results = await Promise.all(values.map((value) => storeToken({ ...key, value })));
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(await db.vaultSecret.count()).toBe(1);
    expect(values).toContain((await getToken(key))!.value);
  });

  it("keeps several identifiers of one type apart", async () => {
    const org = await createOrganization();
    const base = { organizationId: org.id, provider: "WEBHOOK", tokenType: "WEBHOOK_SECRET" } as const;
    await storeToken({ ...base, identifier: "hook-a", value: "secret-a" });
    await storeToken({ ...base, identifier: "hook-b", value: "secret-b" });
    expect((await getToken({ ...base, identifier: "hook-a" }))!.value).toBe("secret-a");
    expect((await getToken({ ...base, identifier: "hook-b" }))!.value).toBe("secret-b");
    expect(await getToken(base)).toBeNull();
  });

  it("stores inside a caller's transaction and rolls back with it", async () => {
    const org = await createOrganization();
    const key = { organizationId: org.id, provider: "DISCORD_BOT", tokenType: "BOT_TOKEN" } as const;
    await expect(
      db.$transaction(async (tx) => {
        await storeToken({ ...key, value: BOT_TOKEN, db: tx });
        throw new Error("abort");
      }),
    ).rejects.toThrow("abort");
    expect(await getToken(key)).toBeNull();
  });

  it("a ciphertext copied into another tenant's row fails to decrypt", async () => {
    const org = await createOrganization();
    const victim = await createOrganization();
    await storeToken({ organizationId: org.id, provider: "DISCORD_BOT", tokenType: "BOT_TOKEN", value: BOT_TOKEN });
    await storeToken({
      organizationId: victim.id,
      provider: "DISCORD_BOT",
      tokenType: "BOT_TOKEN",
      value: "victims-own",
    });
    const source = await db.vaultSecret.findFirstOrThrow({ where: { organizationId: org.id } });
    await db.vaultSecret.updateMany({ where: { organizationId: victim.id }, data: { ciphertext: source.ciphertext } });
    const error = await getToken({ organizationId: victim.id, provider: "DISCORD_BOT", tokenType: "BOT_TOKEN" }).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(VaultError);
    expect(error.code).toBe("TAMPERED");
  });
});

describe("no plaintext anywhere", () => {
  it("finds none of the stored secrets in any column of the table", async () => {
    const org = await createOrganization();
    const secrets = {
      bot: BOT_TOKEN,
      access: "oauth-access-token-Zx81Qw0P",
      refresh: "oauth-refresh-token-Mn27Lk5J",
      webhook: "whsec_9f8e7d6c5b4a3f2e1d0c",
    };
    await storeToken({ organizationId: org.id, provider: "DISCORD_BOT", tokenType: "BOT_TOKEN", value: secrets.bot });
    await storeToken({
      organizationId: org.id,
      provider: "DISCORD_OAUTH",
      tokenType: "ACCESS_TOKEN",
      value: secrets.access,
      expiresAt: new Date(Date.now() + 3_600_000),
    });
    await storeToken({
      organizationId: org.id,
      provider: "DISCORD_OAUTH",
      tokenType: "REFRESH_TOKEN",
      value: secrets.refresh,
    });
    await storeToken({
      organizationId: org.id,
      provider: "WEBHOOK",
      tokenType: "WEBHOOK_SECRET",
      identifier: "hook",
      value: secrets.webhook,
    });
    await markTokenInvalid({
      organizationId: org.id,
      id: (await getToken({ organizationId: org.id, provider: "DISCORD_BOT", tokenType: "BOT_TOKEN" }))!.id,
      error: "401 Unauthorized",
    });

    // Every column as text, so nothing escapes the search whatever its type.
    const rows = await db.$queryRaw<{ row: string }[]>`SELECT row_to_json(v)::text AS "row" FROM "VaultSecret" v`;
    expect(rows).toHaveLength(4);
    const dump = rows.map((r) => r.row).join("\n");
    for (const secret of Object.values(secrets)) {
      expect(dump).not.toContain(secret);
      expect(dump).not.toContain(Buffer.from(secret).toString("base64"));
      expect(dump).not.toContain(Buffer.from(secret).toString("base64url"));
      expect(dump).not.toContain(Buffer.from(secret).toString("hex"));
    }
    for (const row of await db.vaultSecret.findMany()) expect(row.ciphertext).toMatch(/^gg1\.v\d+\./);
  });
});

describe("lastUsedAt", () => {
  it("is written at most once a minute per row", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: new Date("2026-03-01T10:00:00Z") });
    const org = await createOrganization();
    const key = { organizationId: org.id, provider: "DISCORD_BOT", tokenType: "BOT_TOKEN" } as const;
    await storeToken({ ...key, value: BOT_TOKEN });
    const lastUsed = async () => (await db.vaultSecret.findFirstOrThrow()).lastUsedAt?.toISOString();

    await getToken(key);
    expect(await lastUsed()).toBe("2026-03-01T10:00:00.000Z");
    vi.setSystemTime(new Date("2026-03-01T10:00:30Z"));
    await getToken(key);
    await getToken(key);
    expect(await lastUsed()).toBe("2026-03-01T10:00:00.000Z");
    vi.setSystemTime(new Date("2026-03-01T10:01:01Z"));
    await getToken(key);
    expect(await lastUsed()).toBe("2026-03-01T10:01:01.000Z");
  });

  it("is written once when many reads of a stale row run at once", async () => {
    const org = await createOrganization();
    const key = { organizationId: org.id, provider: "DISCORD_BOT", tokenType: "BOT_TOKEN" } as const;
    await storeToken({ ...key, value: BOT_TOKEN });
    // Every statement PostgreSQL receives, with its result: the UPDATEs may all be sent, only one may match.
    // (Outside a transaction the adapter sends through the pool, whose query() returns the result promise.)
    const spy = vi.spyOn(pg.Pool.prototype, "query");
    await Promise.all(Array.from({ length: 5 }, () => getToken(key)));
    const updates = await Promise.all(
      spy.mock.calls.flatMap((call, i) => {
        const text = typeof call[0] === "string" ? call[0] : ((call[0] as { text?: string }).text ?? "");
        return /^\s*UPDATE "VaultSecret" SET "lastUsedAt"/.test(text)
          ? [spy.mock.results[i]!.value as Promise<{ rowCount: number }>]
          : [];
      }),
    );
    spy.mockRestore();
    expect(updates.length).toBeGreaterThan(0);
    expect(updates.reduce((n, r) => n + r.rowCount, 0)).toBe(1);
  });
});

describe("getAccessToken / getRefreshToken", () => {
  const minutes = (n: number) => new Date(Date.now() + n * 60_000);

  it("returns the token with needsRefresh inside the buffer, and without it outside", async () => {
    const org = await createOrganization();
    const key = { organizationId: org.id, provider: "DISCORD_OAUTH" } as const;
    await storeToken({ ...key, tokenType: "ACCESS_TOKEN", value: "access-1", expiresAt: minutes(3) });
    expect(await getAccessToken(key)).toMatchObject({ token: { value: "access-1" }, needsRefresh: true });
    expect(await getAccessToken({ ...key, refreshBufferMinutes: 2 })).toMatchObject({ needsRefresh: false });
    await storeToken({ ...key, tokenType: "ACCESS_TOKEN", value: "access-2", expiresAt: null });
    expect(await getAccessToken(key)).toMatchObject({ token: { value: "access-2" }, needsRefresh: false });
  });

  it("marks an expired token invalid and returns null", async () => {
    const org = await createOrganization();
    const key = { organizationId: org.id, provider: "DISCORD_OAUTH" } as const;
    await storeToken({ ...key, tokenType: "ACCESS_TOKEN", value: "access-old", expiresAt: minutes(-1) });
    expect(await getAccessToken(key)).toBeNull();
    expect(await db.vaultSecret.findFirstOrThrow()).toMatchObject({ validity: "INVALID", lastError: "Token expired" });
    // Stays null even with a generous buffer, because it is now invalid.
    expect(await getAccessToken({ ...key, refreshBufferMinutes: 60 })).toBeNull();
  });

  it("returns null for an invalid token until a new one is stored", async () => {
    const org = await createOrganization();
    const key = { organizationId: org.id, provider: "DISCORD_OAUTH" } as const;
    const { id } = await storeToken({ ...key, tokenType: "ACCESS_TOKEN", value: "access", expiresAt: minutes(60) });
    expect(await markTokenInvalid({ organizationId: org.id, id, error: "revoked" })).toBe(true);
    expect(await getAccessToken(key)).toBeNull();
    expect(await markTokenValid({ organizationId: org.id, id })).toBe(true);
    expect(await getAccessToken(key)).not.toBeNull();
  });

  it("reads the refresh token", async () => {
    const org = await createOrganization();
    await storeToken({
      organizationId: org.id,
      provider: "DISCORD_OAUTH",
      tokenType: "REFRESH_TOKEN",
      value: "refresh-1",
    });
    expect((await getRefreshToken({ organizationId: org.id, provider: "DISCORD_OAUTH" }))!.value).toBe("refresh-1");
  });
});

describe("tenant-scoped changes and deletion", () => {
  it("ignores another organization's id in markTokenInvalid and deleteToken", async () => {
    const org = await createOrganization();
    const attacker = await createOrganization();
    const { id } = await storeToken({
      organizationId: org.id,
      provider: "DISCORD_BOT",
      tokenType: "BOT_TOKEN",
      value: BOT_TOKEN,
    });
    expect(await markTokenInvalid({ organizationId: attacker.id, id, error: "x" })).toBe(false);
    expect(await deleteToken({ organizationId: attacker.id, id })).toBe(false);
    expect(await db.vaultSecret.findUniqueOrThrow({ where: { id } })).toMatchObject({ validity: "VALID" });
    expect(await deleteToken({ organizationId: org.id, id })).toBe(true);
    expect(await db.vaultSecret.count()).toBe(0);
  });

  it("deleteProviderTokens removes one provider of one organization", async () => {
    const org = await createOrganization();
    const other = await createOrganization();
    for (const organizationId of [org.id, other.id]) {
      await storeToken({ organizationId, provider: "DISCORD_OAUTH", tokenType: "ACCESS_TOKEN", value: "a" });
      await storeToken({ organizationId, provider: "DISCORD_OAUTH", tokenType: "REFRESH_TOKEN", value: "r" });
      await storeToken({ organizationId, provider: "DISCORD_BOT", tokenType: "BOT_TOKEN", value: "b" });
    }
    expect(await deleteProviderTokens({ organizationId: org.id, provider: "DISCORD_OAUTH" })).toBe(2);
    const left = await db.vaultSecret.findMany({ select: { organizationId: true, provider: true } });
    expect(left).toHaveLength(4);
    expect(left.filter((r) => r.organizationId === org.id)).toEqual([
      { organizationId: org.id, provider: "DISCORD_BOT" },
    ]);
  });
});

describe("findExpiringTokens", () => {
  it("lists valid access tokens expiring within the window, soonest first, optionally by provider", async () => {
    const a = await createOrganization();
    const b = await createOrganization();
    const inMinutes = (n: number) => new Date(Date.now() + n * 60_000);
    await storeToken({
      organizationId: a.id,
      provider: "DISCORD_OAUTH",
      tokenType: "ACCESS_TOKEN",
      value: "1",
      expiresAt: inMinutes(20),
    });
    await storeToken({
      organizationId: b.id,
      provider: "DISCORD_OAUTH",
      tokenType: "ACCESS_TOKEN",
      value: "2",
      expiresAt: inMinutes(5),
    });
    await storeToken({
      organizationId: b.id,
      provider: "DISCORD_OAUTH",
      tokenType: "ACCESS_TOKEN",
      identifier: "late",
      value: "3",
      expiresAt: inMinutes(120),
    });
    await storeToken({
      organizationId: a.id,
      provider: "DISCORD_OAUTH",
      tokenType: "REFRESH_TOKEN",
      value: "4",
      expiresAt: inMinutes(1),
    });
    await storeToken({
      organizationId: a.id,
      provider: "DISCORD_OAUTH",
      tokenType: "ACCESS_TOKEN",
      identifier: "never",
      value: "5",
    });
    const dead = await storeToken({
      organizationId: a.id,
      provider: "WEBHOOK",
      tokenType: "ACCESS_TOKEN",
      value: "6",
      expiresAt: inMinutes(2),
    });
    await markTokenInvalid({ organizationId: a.id, id: dead.id, error: "gone" });
    await storeToken({
      organizationId: a.id,
      provider: "WEBHOOK",
      tokenType: "ACCESS_TOKEN",
      identifier: "w",
      value: "7",
      expiresAt: inMinutes(3),
    });

    const found = await findExpiringTokens({ withinMinutes: 30 });
    expect(found.map((t) => [t.organizationId, t.provider, t.identifier])).toEqual([
      [a.id, "WEBHOOK", "w"],
      [b.id, "DISCORD_OAUTH", ""],
      [a.id, "DISCORD_OAUTH", ""],
    ]);
    expect(found[0]).not.toHaveProperty("value");
    const oauth = await findExpiringTokens({ withinMinutes: 30, provider: "DISCORD_OAUTH" });
    expect(oauth.map((t) => t.organizationId)).toEqual([b.id, a.id]);
  });
});
