// Per-guild bot-token resolution against the real database: the platform-token rules, typed errors, the cache and
// its negative entries, single-flight, cross-instance eviction, stale-if-error with the database gone, and the
// 401 rule end to end through the REST facade and the Discord fake.
import { afterEach, describe, expect, it } from "vitest";
import { decrypt } from "@/lib/crypto/vault";
import { db } from "@/lib/db";
import { createDiscordClient, DiscordApiError, onUnauthorizedToken, resetDiscordClients } from "@/lib/discord/client";
import {
  BotTokenInvalid,
  GuildNotConnected,
  loadGuildTokenRow,
  OrganizationSuspended,
  TokenResolutionUnavailable,
  TokenResolver,
  type TokenResolverOptions,
} from "@/lib/discord/token-resolver";
import { env } from "@/lib/env";
import { seedConnectedGuild, startDatabaseProxy } from "~tests/helpers/discord";
import { useDiscordFake } from "~tests/fakes/discord";

const GUILD = "1200000000000001000";
const OTHER = "1200000000000002000";
const TENANT_TOKEN = "MTIwMDAwMDAwMDAwMDAwMDAxMA.tenant.fake-bot-token-0123456789";

const discord = useDiscordFake();
const resolvers: TokenResolver[] = [];

afterEach(async () => {
  await Promise.all(resolvers.splice(0).map((r) => r.close()));
  resetDiscordClients();
});

/** A resolver whose queries and decrypts are counted, on a controllable clock. */
function counted(options: TokenResolverOptions = {}) {
  const counts = { queries: 0, decrypts: 0 };
  const clock = { now: Date.now() };
  const resolver = new TokenResolver({
    loadRow: async (client, guildId) => {
      counts.queries++;
      return loadGuildTokenRow(client, guildId);
    },
    decrypt: (ciphertext, context) => {
      counts.decrypts++;
      return decrypt(ciphertext, context);
    },
    now: () => clock.now,
    ...options,
  });
  resolvers.push(resolver);
  return { resolver, counts, clock };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("expected a rejection");
    },
    (error: unknown) => error,
  );
}

describe("which token", () => {
  it("returns the organization's own bot token, decrypted", async () => {
    const { organization } = await seedConnectedGuild({ guildId: GUILD, botToken: TENANT_TOKEN });
    const { resolver } = counted();
    expect(await resolver.getGuildBotToken(GUILD)).toEqual({
      token: TENANT_TOKEN,
      source: "tenant",
      organizationId: organization.id,
    });
  });

  it("uses the platform token only for an organization without a bot of its own", async () => {
    await seedConnectedGuild({ guildId: GUILD });
    const { resolver } = counted();
    expect(await resolver.getGuildBotToken(GUILD)).toMatchObject({ token: env.DISCORD_TOKEN, source: "platform" });
  });

  it.each([
    ["an unknown guild", async () => {}, GuildNotConnected],
    [
      "a suspended organization",
      () => seedConnectedGuild({ guildId: GUILD, botToken: TENANT_TOKEN, status: "SUSPENDED" }),
      OrganizationSuspended,
    ],
    [
      "a suspended organization on the platform bot",
      () => seedConnectedGuild({ guildId: GUILD, status: "SUSPENDED" }),
      OrganizationSuspended,
    ],
    [
      "an INVALID token",
      () => seedConnectedGuild({ guildId: GUILD, botToken: TENANT_TOKEN, validity: "INVALID" }),
      BotTokenInvalid,
    ],
    [
      "an own bot whose token is missing",
      () => seedConnectedGuild({ guildId: GUILD, botApplicationId: "1200000000000000010" }),
      BotTokenInvalid,
    ],
  ] as const)("never falls back for %s: a typed error", async (_name, seed, type) => {
    await seed();
    const { resolver } = counted();
    const error = await rejection(resolver.getGuildBotToken(GUILD));
    expect(error).toBeInstanceOf(type);
    expect(String(error)).not.toContain(env.DISCORD_TOKEN!);
  });

  it("answers TokenResolutionUnavailable (not the platform token) when the database fails", async () => {
    await seedConnectedGuild({ guildId: GUILD });
    const { resolver } = counted({
      loadRow: async () => {
        throw new Error("connection refused");
      },
    });
    expect(await rejection(resolver.getGuildBotToken(GUILD))).toBeInstanceOf(TokenResolutionUnavailable);
  });

  it("reports an unreadable ciphertext as BotTokenInvalid", async () => {
    const { organization } = await seedConnectedGuild({ guildId: GUILD, botToken: TENANT_TOKEN });
    // A ciphertext from another organization's row fails its AAD check.
    const other = await seedConnectedGuild({ guildId: OTHER, botToken: "another-token" });
    const foreign = await db.vaultSecret.findFirstOrThrow({ where: { organizationId: other.organization.id } });
    await db.vaultSecret.updateMany({
      where: { organizationId: organization.id },
      data: { ciphertext: foreign.ciphertext },
    });
    const { resolver } = counted();
    expect(await rejection(resolver.getGuildBotToken(GUILD))).toBeInstanceOf(BotTokenInvalid);
  });
});

describe("cache", () => {
  it("1,000 concurrent misses for one guild cost one query and one decrypt", async () => {
    await seedConnectedGuild({ guildId: GUILD, botToken: TENANT_TOKEN });
    const { resolver, counts } = counted();
    const results = await Promise.all(Array.from({ length: 1000 }, () => resolver.getGuildBotToken(GUILD)));
    expect(new Set(results.map((r) => r.token))).toEqual(new Set([TENANT_TOKEN]));
    expect(counts).toEqual({ queries: 1, decrypts: 1 });
  });

  it("serves from the cache for 5 minutes, then reads again", async () => {
    await seedConnectedGuild({ guildId: GUILD, botToken: TENANT_TOKEN });
    const { resolver, counts, clock } = counted();
    await resolver.getGuildBotToken(GUILD);
    clock.now += 4 * 60_000;
    await resolver.getGuildBotToken(GUILD);
    expect(counts.queries).toBe(1);
    clock.now += 61_000;
    await resolver.getGuildBotToken(GUILD);
    expect(counts.queries).toBe(2);
  });

  it("remembers an unknown guild for 30 s", async () => {
    const { resolver, counts, clock } = counted();
    for (let i = 0; i < 5; i++) await rejection(resolver.getGuildBotToken(GUILD));
    expect(counts.queries).toBe(1);
    clock.now += 31_000;
    await seedConnectedGuild({ guildId: GUILD });
    expect((await resolver.getGuildBotToken(GUILD)).source).toBe("platform");
    expect(counts.queries).toBe(2);
  });

  it("is bounded", async () => {
    const { resolver } = counted({ max: 3 });
    for (let i = 0; i < 10; i++) await rejection(resolver.getGuildBotToken(`120000000000000${3000 + i}`));
    expect(resolver.size).toBe(3);
  });

  it("evicts across instances: a NOTIFY from one resolver evicts the other's entry", async () => {
    const { organization } = await seedConnectedGuild({ guildId: GUILD, botToken: TENANT_TOKEN });
    const a = counted();
    const b = counted();
    await Promise.all([a.resolver.listen(), b.resolver.listen()]);
    await a.resolver.getGuildBotToken(GUILD);
    await b.resolver.getGuildBotToken(GUILD);
    expect(b.counts.queries).toBe(1);

    // Instance A replaces the token and invalidates; B must read the new one.
    await db.$transaction(async (tx) => {
      const { storeToken } = await import("@/lib/crypto/token-vault");
      await storeToken({
        db: tx,
        organizationId: organization.id,
        provider: "DISCORD_BOT",
        tokenType: "BOT_TOKEN",
        value: "replacement-token",
      });
      await a.resolver.invalidateOrganization(organization.id, tx);
    });
    await expect.poll(() => b.resolver.size, { timeout: 5000 }).toBe(0);
    expect((await b.resolver.getGuildBotToken(GUILD)).token).toBe("replacement-token");
    expect(b.counts.queries).toBe(2);

    await b.resolver.invalidateGuild(GUILD);
    await expect.poll(() => a.resolver.size, { timeout: 5000 }).toBe(0);
  });
});

describe("degraded mode", () => {
  it("serves an entry expired less than 15 minutes ago while the database is stopped, and fails fast otherwise", async () => {
    await seedConnectedGuild({ guildId: GUILD, botToken: TENANT_TOKEN });
    await seedConnectedGuild({ guildId: OTHER, botToken: "other-token" });
    const proxy = await startDatabaseProxy();
    try {
      const warnings: unknown[] = [];
      const log = {
        warn: (...args: unknown[]) => void warnings.push(args),
        error: () => {},
      } as unknown as TokenResolverOptions["log"];
      const { resolver, clock } = counted({ db: proxy.client(), log });
      await resolver.getGuildBotToken(GUILD);
      await proxy.stop();

      clock.now += 5 * 60_000 + 10 * 60_000; // expired 10 minutes ago
      expect((await resolver.getGuildBotToken(GUILD)).token).toBe(TENANT_TOKEN);
      expect((await resolver.getGuildBotToken(GUILD)).token).toBe(TENANT_TOKEN);
      expect(warnings).toHaveLength(1); // logged once per guild
      expect(JSON.stringify(warnings)).not.toContain(TENANT_TOKEN);

      const started = performance.now();
      expect(await rejection(resolver.getGuildBotToken(OTHER))).toBeInstanceOf(TokenResolutionUnavailable);
      // Fails fast: well under the 3 s connection timeout it would otherwise wait for.
      expect(performance.now() - started).toBeLessThan(1_500);

      clock.now += 6 * 60_000; // now expired 16 minutes ago
      expect(await rejection(resolver.getGuildBotToken(GUILD))).toBeInstanceOf(TokenResolutionUnavailable);
    } finally {
      await proxy.dispose();
    }
  });
});

describe("401 from Discord", () => {
  it("marks the tenant token INVALID, evicts it, and it is not used again until replaced", async () => {
    // The tenant's bot is installed in the fake's guild, but Discord has since reset its token.
    discord.model.addBotToGuild(discord.world.guild.id, discord.world.tenantApplication.id);
    discord.world.tenantApplication.botToken = "reset-by-the-owner";
    const { organization, secretId } = await seedConnectedGuild({
      guildId: discord.world.guild.id,
      botToken: TENANT_TOKEN,
    });
    const { resolver, counts } = counted();
    const off = onUnauthorizedToken(({ token }) => resolver.handleUnauthorized(token));
    try {
      const { token } = await resolver.getGuildBotToken(discord.world.guild.id);
      // Even when the entry has left the cache by the time Discord answers, the secret is found and marked.
      resolver.evictGuild(discord.world.guild.id);
      const error = await rejection(createDiscordClient({ token, kind: "Bot" }).getGuildRoles(discord.world.guild.id));
      expect((error as DiscordApiError).isUnauthorized).toBe(true);

      const secret = await db.vaultSecret.findUniqueOrThrow({ where: { id: secretId } });
      expect(secret.validity).toBe("INVALID");
      expect(secret.lastError).not.toContain(TENANT_TOKEN);
      expect(await rejection(resolver.getGuildBotToken(discord.world.guild.id))).toBeInstanceOf(BotTokenInvalid);
      expect(counts.queries).toBe(2);
      expect(discord.countRequests()).toBe(1);

      // Replacing the token (and invalidating) makes the guild usable again.
      const { storeToken } = await import("@/lib/crypto/token-vault");
      await storeToken({
        organizationId: organization.id,
        provider: "DISCORD_BOT",
        tokenType: "BOT_TOKEN",
        value: "reset-by-the-owner",
      });
      await resolver.invalidateOrganization(organization.id);
      const fresh = await resolver.getGuildBotToken(discord.world.guild.id);
      expect(fresh.token).toBe("reset-by-the-owner");
      expect(
        await createDiscordClient({ token: fresh.token, kind: "Bot" }).getGuildRoles(discord.world.guild.id),
      ).not.toHaveLength(0);
    } finally {
      off();
    }
  });
});

describe("401 for an old token", () => {
  it("a rotation during an in-flight call leaves the newly stored token valid", async () => {
    // Discord already knows only the new token; a call with the old one is in flight when the admin saves the new one.
    discord.model.addBotToGuild(discord.world.guild.id, discord.world.tenantApplication.id);
    discord.world.tenantApplication.botToken = "the-new-token-the-admin-saves";
    const { organization, secretId } = await seedConnectedGuild({
      guildId: discord.world.guild.id,
      botToken: TENANT_TOKEN,
    });
    const { resolver } = counted();
    const off = onUnauthorizedToken(({ token }) => resolver.handleUnauthorized(token));
    try {
      const { token: old } = await resolver.getGuildBotToken(discord.world.guild.id);
      discord.injectFault({ route: "GET /guilds/{guild_id}/roles", delayMs: 700 });
      const inFlight = rejection(
        createDiscordClient({ token: old, kind: "Bot" }).getGuildRoles(discord.world.guild.id),
      );

      await new Promise((resolve) => setTimeout(resolve, 150));
      const { storeToken } = await import("@/lib/crypto/token-vault");
      await db.$transaction(async (tx) => {
        await storeToken({
          db: tx,
          organizationId: organization.id,
          provider: "DISCORD_BOT",
          tokenType: "BOT_TOKEN",
          value: "the-new-token-the-admin-saves",
        });
        await resolver.invalidateOrganization(organization.id, tx);
      });

      expect(((await inFlight) as DiscordApiError).isUnauthorized).toBe(true);
      const secret = await db.vaultSecret.findUniqueOrThrow({ where: { id: secretId } });
      expect(secret.validity).toBe("VALID");
      const fresh = await resolver.getGuildBotToken(discord.world.guild.id);
      expect(fresh.token).toBe("the-new-token-the-admin-saves");
      expect(
        await createDiscordClient({ token: fresh.token, kind: "Bot" }).getGuildRoles(discord.world.guild.id),
      ).not.toHaveLength(0);
    } finally {
      off();
    }
  });
});
