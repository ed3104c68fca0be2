// The token service against the real database and the Discord fake's token endpoint: collapsed refreshes across
// instances, forced refresh, invalid_grant, transient failures, the bot-token rules and the scheduled refresh.
import { describe, expect, it } from "vitest";
import { getAccessToken, getRefreshToken, storeToken } from "@/lib/crypto/token-vault";
import { db } from "@/lib/db";
import {
  TokenInvalid,
  TokenNotFound,
  TokenOrganizationSuspended,
  TokenRefreshFailed,
  TokenService,
} from "@/lib/discord/token-service";
import { env } from "@/lib/env";
import { seedConnectedGuild } from "~tests/helpers/discord";
import { useDiscordFake } from "~tests/fakes/discord";

const discord = useDiscordFake();
const TOKEN_ROUTE = "POST /oauth2/token";
const OAUTH = { provider: "DISCORD_OAUTH" } as const;

/** An organization holding a Discord grant from the fake that expires in `expiresInMs`. */
async function seedGrant(expiresInMs: number) {
  const { organization } = await seedConnectedGuild({ guildId: discord.world.guild.id });
  const grant = discord.model.issueToken({
    applicationId: discord.world.platform.id,
    userId: discord.world.admin.id,
    scopes: ["identify", "guilds"],
  });
  await storeToken({
    organizationId: organization.id,
    ...OAUTH,
    tokenType: "ACCESS_TOKEN",
    value: grant.accessToken,
    expiresAt: new Date(Date.now() + expiresInMs),
  });
  await storeToken({
    organizationId: organization.id,
    ...OAUTH,
    tokenType: "REFRESH_TOKEN",
    value: grant.refreshToken,
  });
  return { organizationId: organization.id, grant };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("expected a rejection");
    },
    (error: unknown) => error,
  );
}

describe("discord_oauth", () => {
  it("returns a fresh stored token without calling Discord", async () => {
    const { organizationId, grant } = await seedGrant(3_600_000);
    const result = await new TokenService().getToken({ organizationId, type: "discord_oauth" });
    expect(result).toMatchObject({ token: grant.accessToken, source: "oauth", refreshed: false });
    expect(discord.countRequests(TOKEN_ROUTE)).toBe(0);
  });

  it("100 concurrent refreshes on two instances make exactly one token call", async () => {
    const { organizationId, grant } = await seedGrant(60_000);
    // Slow Discord down so every caller arrives while the refresh is running.
    discord.injectFault({ route: TOKEN_ROUTE, delayMs: 300 });
    const instances = [new TokenService(), new TokenService()];
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) => instances[i % 2]!.getToken({ organizationId, type: "discord_oauth" })),
    );
    expect(discord.countRequests(TOKEN_ROUTE)).toBe(1);
    const tokens = new Set(results.map((r) => r.token));
    expect(tokens.size).toBe(1);
    const [token] = [...tokens];
    expect(token).not.toBe(grant.accessToken);
    // The stored pair is the rotated one, and the new token works at Discord.
    const stored = await getAccessToken({ organizationId, ...OAUTH });
    expect(stored?.token.value).toBe(token);
    expect(stored?.needsRefresh).toBe(false);
    const me = await fetch(`${env.DISCORD_API_BASE_URL}/users/@me`, { headers: { Authorization: `Bearer ${token}` } });
    expect(me.status).toBe(200);
  });

  it("refreshes a fresh token when forced, once for concurrent callers", async () => {
    const { organizationId, grant } = await seedGrant(3_600_000);
    const service = new TokenService();
    const results = await Promise.all(
      Array.from({ length: 10 }, () => service.getToken({ organizationId, type: "discord_oauth", forceRefresh: true })),
    );
    expect(discord.countRequests(TOKEN_ROUTE)).toBe(1);
    expect(results.every((r) => r.refreshed && r.token !== grant.accessToken)).toBe(true);
  });

  it("marks both tokens INVALID on invalid_grant and stops calling Discord", async () => {
    const { organizationId } = await seedGrant(60_000);
    discord.model.refreshTokens.clear(); // Discord no longer knows the refresh token.
    const service = new TokenService();
    expect(await rejection(service.getToken({ organizationId, type: "discord_oauth" }))).toBeInstanceOf(TokenInvalid);
    const rows = await db.vaultSecret.findMany({ where: { organizationId, provider: "DISCORD_OAUTH" } });
    expect(rows.map((r) => r.validity)).toEqual(["INVALID", "INVALID"]);
    expect(await rejection(service.getToken({ organizationId, type: "discord_oauth" }))).toBeInstanceOf(TokenInvalid);
    expect(discord.countRequests(TOKEN_ROUTE)).toBe(1);
  });

  it("reports a transient failure as TokenRefreshFailed and keeps the tokens", async () => {
    const { organizationId } = await seedGrant(60_000);
    discord.injectFault({ route: TOKEN_ROUTE, status: 503 });
    expect(await rejection(new TokenService().getToken({ organizationId, type: "discord_oauth" }))).toBeInstanceOf(
      TokenRefreshFailed,
    );
    expect((await getRefreshToken({ organizationId, ...OAUTH }))?.validity).toBe("VALID");
    // The next call succeeds.
    expect((await new TokenService().getToken({ organizationId, type: "discord_oauth" })).refreshed).toBe(true);
  });

  it("refreshes a bring-your-own-bot grant with the organization's own application credentials", async () => {
    const app = discord.world.tenantApplication;
    const { organization } = await seedConnectedGuild({
      guildId: discord.world.guild.id,
      botToken: app.botToken,
      botApplicationId: app.id,
    });
    await storeToken({
      organizationId: organization.id,
      provider: "DISCORD_BOT",
      tokenType: "CLIENT_SECRET",
      value: app.secret,
    });
    const grant = discord.model.issueToken({
      applicationId: app.id,
      userId: discord.world.admin.id,
      scopes: ["bot", "identify"],
    });
    await storeToken({
      organizationId: organization.id,
      ...OAUTH,
      tokenType: "ACCESS_TOKEN",
      value: grant.accessToken,
      expiresAt: new Date(Date.now() + 60_000),
    });
    await storeToken({
      organizationId: organization.id,
      ...OAUTH,
      tokenType: "REFRESH_TOKEN",
      value: grant.refreshToken,
    });

    const result = await new TokenService().getToken({ organizationId: organization.id, type: "discord_oauth" });
    expect(result.refreshed).toBe(true);
    expect(result.token).not.toBe(grant.accessToken);
    const [request] = discord.requests(TOKEN_ROUTE);
    const form = new URLSearchParams(request!.body);
    expect(form.get("client_id")).toBe(app.id);
    expect(form.get("client_secret")).toBe(app.secret);
    expect((await getRefreshToken({ organizationId: organization.id, ...OAUTH }))?.validity).toBe("VALID");
  });

  it("does not fall back to the platform's credentials when the organization's client secret is missing", async () => {
    const app = discord.world.tenantApplication;
    const { organization } = await seedConnectedGuild({
      guildId: discord.world.guild.id,
      botToken: app.botToken,
      botApplicationId: app.id,
    });
    const grant = discord.model.issueToken({
      applicationId: app.id,
      userId: discord.world.admin.id,
      scopes: ["bot", "identify"],
    });
    await storeToken({
      organizationId: organization.id,
      ...OAUTH,
      tokenType: "ACCESS_TOKEN",
      value: grant.accessToken,
      expiresAt: new Date(Date.now() + 60_000),
    });
    await storeToken({
      organizationId: organization.id,
      ...OAUTH,
      tokenType: "REFRESH_TOKEN",
      value: grant.refreshToken,
    });
    expect(
      await rejection(new TokenService().getToken({ organizationId: organization.id, type: "discord_oauth" })),
    ).toBeInstanceOf(TokenInvalid);
    expect(discord.countRequests(TOKEN_ROUTE)).toBe(0);
  });

  it("answers TokenNotFound when nothing is stored", async () => {
    const { organization } = await seedConnectedGuild({ guildId: discord.world.guild.id });
    expect(
      await rejection(new TokenService().getToken({ organizationId: organization.id, type: "discord_oauth" })),
    ).toBeInstanceOf(TokenNotFound);
  });

  it("the scheduled refresh renews expiring grants only", async () => {
    const expiring = await seedGrant(60_000);
    const { organization: other } = await seedConnectedGuild({ guildId: discord.world.otherGuild.id });
    await storeToken({
      organizationId: other.id,
      ...OAUTH,
      tokenType: "ACCESS_TOKEN",
      value: "later",
      expiresAt: new Date(Date.now() + 86_400_000),
    });
    const result = await new TokenService().refreshExpiringTokens({ withinMinutes: 10 });
    expect(result).toEqual({ refreshed: 1, failed: 0 });
    expect((await getAccessToken({ organizationId: expiring.organizationId, ...OAUTH }))?.token.value).not.toBe(
      expiring.grant.accessToken,
    );
    expect(discord.countRequests(TOKEN_ROUTE)).toBe(1);
  });
});

describe("discord_bot", () => {
  it("returns the tenant's token, the platform token without one, and typed errors otherwise", async () => {
    const service = new TokenService();
    const tenant = await seedConnectedGuild({ guildId: "1200000000000005001", botToken: "tenant-token-value" });
    expect(await service.getToken({ organizationId: tenant.organization.id, type: "discord_bot" })).toMatchObject({
      token: "tenant-token-value",
      source: "tenant",
    });
    const platform = await seedConnectedGuild({ guildId: "1200000000000005002" });
    expect(await service.getToken({ organizationId: platform.organization.id, type: "discord_bot" })).toMatchObject({
      source: "platform",
    });
    const suspended = await seedConnectedGuild({ guildId: "1200000000000005003", botToken: "x", status: "SUSPENDED" });
    expect(
      await rejection(service.getToken({ organizationId: suspended.organization.id, type: "discord_bot" })),
    ).toBeInstanceOf(TokenOrganizationSuspended);
    const invalid = await seedConnectedGuild({ guildId: "1200000000000005004", botToken: "y", validity: "INVALID" });
    expect(
      await rejection(service.getToken({ organizationId: invalid.organization.id, type: "discord_bot" })),
    ).toBeInstanceOf(TokenInvalid);
    const ownBot = await seedConnectedGuild({
      guildId: "1200000000000005005",
      botApplicationId: "1200000000000000010",
    });
    expect(
      await rejection(service.getToken({ organizationId: ownBot.organization.id, type: "discord_bot" })),
    ).toBeInstanceOf(TokenInvalid);
  });
});
