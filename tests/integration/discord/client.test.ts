// The REST facade against the Discord fake: results, every error mapping, retries, timeouts, the audit-log reason,
// the 401 rule, the invalid-request budget, and no token in anything thrown. Integration: the shared state (rejected
// tokens, budgets, the global limit) lives in PostgreSQL.
import { inspect } from "node:util";
import { http, HttpResponse } from "msw";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  auditLogReason,
  DISCORD_ERROR_CODES,
  createDiscordClient,
  DiscordApiError,
  DiscordInvalidRequestBudgetError,
  DiscordNetworkError,
  DiscordTimeoutError,
  exchangeCode,
  onUnauthorizedToken,
  refreshAccessToken,
  resetDiscordClients,
} from "@/lib/discord/client";
import { rateLimitPool } from "@/lib/rate-limit/pool";
import { peakInAnySecond, useLimits } from "~tests/helpers/limits";
import { useDiscordFake } from "~tests/fakes/discord";
import { server } from "~tests/msw/server";

const discord = useDiscordFake();
const ROLE_PUT = "PUT /guilds/{guild_id}/members/{user_id}/roles/{role_id}";
const GUILD = "GET /guilds/{guild_id}";

let restoreLimits: (() => void) | undefined;
beforeEach(() => {
  resetDiscordClients();
});
afterEach(() => {
  restoreLimits?.();
  restoreLimits = undefined;
});

const platform = () => createDiscordClient({ token: discord.world.platform.botToken, kind: "Bot" });

async function caught(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a rejection");
}

describe("calls", () => {
  it("reads the guild with counts, roles, channels and a member", async () => {
    const client = platform();
    const { guild, applicant } = discord.world;
    expect(await client.getGuild(guild.id)).toMatchObject({ id: guild.id, approximate_member_count: 3 });
    expect((await client.getGuildRoles(guild.id)).map((r) => r.name)).toContain("Approved");
    expect((await client.getGuildChannels(guild.id)).map((c) => c.name)).toEqual(["general", "rules"]);
    expect((await client.getGuildMember(guild.id, applicant.id)).user?.id).toBe(applicant.id);
  });

  it("creates a role, adds and removes it, and the bot leaves", async () => {
    const client = platform();
    const { guild, applicant } = discord.world;
    const role = await client.createGuildRole(guild.id, { name: "Approved 2" }, { reason: "setup" });
    await client.addGuildMemberRole(guild.id, applicant.id, role.id, { reason: "approved" });
    expect(guild.members.get(applicant.id)!.roleIds.has(role.id)).toBe(true);
    await client.removeGuildMemberRole(guild.id, applicant.id, role.id);
    expect(guild.members.get(applicant.id)!.roleIds.has(role.id)).toBe(false);
    await client.leaveGuild(guild.id);
    expect(guild.members.has(discord.world.platform.botUserId)).toBe(false);
  });

  it("uses a Bearer token for the current user and guilds", async () => {
    const token = discord.model.issueToken({
      applicationId: discord.world.platform.id,
      userId: discord.world.admin.id,
      scopes: ["identify", "guilds"],
    });
    const client = createDiscordClient({ token: token.accessToken, kind: "Bearer" });
    expect((await client.getCurrentUser()).id).toBe(discord.world.admin.id);
    expect((await client.getCurrentUserGuilds()).map((g) => g.id)).toEqual([
      discord.world.guild.id,
      discord.world.otherGuild.id,
    ]);
    expect(discord.requests("GET /users/@me")[0]!.headers.authorization).toBe(`Bearer ${token.accessToken}`);
  });

  it("shares one token's rate-limit state between clients with different timeouts (cached per token alone)", async () => {
    discord.configureRateLimits({ routes: { [GUILD]: { limit: 1, windowMs: 30_000 } } });
    const client = (timeoutMs: number) =>
      createDiscordClient({ token: discord.world.platform.botToken, kind: "Bot", timeoutMs });
    await client(10_000).getGuild(discord.world.guild.id);
    // The second call meets Discord's 429 (30 s), and the token's REST client learns the bucket from it.
    expect(((await caught(client(10_000).getGuild(discord.world.guild.id))) as DiscordApiError).isRateLimited).toBe(
      true,
    );
    // A client with another timeout uses the same REST client: it refuses locally instead of collecting another 429.
    const error = (await caught(client(8_000).getGuild(discord.world.guild.id))) as DiscordApiError;
    expect(error.isRateLimited).toBe(true);
    expect(error.retryAfter).toBeGreaterThan(20);
    expect(discord.requests(GUILD)).toHaveLength(2);
  });

  it("keeps Discord's global limit per bot token: concurrent calls spread over the windows, none is refused by Discord", async () => {
    restoreLimits = useLimits({ DISCORD_GLOBAL_REQUESTS_PER_SECOND: "3" });
    // Both sides count fixed one-second windows, but ours starts at the shared count's first upsert and the fake's
    // at the first request's arrival a few ms later; under load that offset can exceed the waiters' jitter. The fake's
    // window is 50 ms shorter so the offset is absorbed: 3 per 950 ms is still refused past 3 per second's pace.
    discord.configureRateLimits({ global: { limit: 3, windowMs: 950 } });
    const started = Date.now();
    const results = await Promise.allSettled(
      Array.from({ length: 7 }, () => platform().getGuildRoles(discord.world.guild.id)),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(7);
    // 7 calls at 3 per second: three windows, so the last starts two seconds after the first.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_900);
    const statuses = discord.requests("GET /guilds/{guild_id}/roles").map((r) => r.status);
    expect(statuses.filter((s) => s === 429)).toHaveLength(0);
  });
});

describe("global limit leases", () => {
  const window = async () =>
    (
      await rateLimitPool().query<{ sent: string[] }>(`SELECT "sent"::text[] AS sent FROM "DiscordGlobalWindow"`)
    ).rows.map((r) => r.sent.map(Number));

  it("takes a few points per grant and records every one of them in the shared window", async () => {
    restoreLimits = useLimits({ DISCORD_GLOBAL_REQUESTS_PER_SECOND: "50" });
    await rateLimitPool().query(`DELETE FROM "DiscordGlobalWindow"`);
    const client = platform();
    await Promise.all(Array.from({ length: 7 }, () => client.getGuildRoles(discord.world.guild.id)));
    const rows = await window();
    // Leases of 5 (a tenth of 50), recorded with their grant time: every leased point counts, used or not.
    expect(rows).toHaveLength(1);
    const sent = rows[0]!;
    expect(sent.length % 5).toBe(0);
    expect(sent.length).toBeGreaterThanOrEqual(7);
    // Fewer grants (distinct times) than calls: points are taken a lease at a time.
    expect(new Set(sent).size).toBeLessThan(7);
    expect(discord.requests("GET /guilds/{guild_id}/roles")).toHaveLength(7);
  });

  it("takes one point at a time when the limit is small, so leases never exceed it", async () => {
    restoreLimits = useLimits({ DISCORD_GLOBAL_REQUESTS_PER_SECOND: "3" });
    discord.configureRateLimits({ global: { limit: 3, windowMs: 1000 } });
    await rateLimitPool().query(`DELETE FROM "DiscordGlobalWindow"`);
    await platform().getGuildRoles(discord.world.guild.id);
    expect((await window()).map((sent) => sent.length)).toEqual([1]);
  });

  it("no sliding second carries more than the limit, where fixed windows allowed two full ones back to back", async () => {
    restoreLimits = useLimits({ DISCORD_GLOBAL_REQUESTS_PER_SECOND: "10" });
    // Only the global limit is under test: the fake's own limits are opened up.
    discord.configureRateLimits({
      global: { limit: 1_000, windowMs: 1_000 },
      defaultRoute: { limit: 1_000, windowMs: 1_000 },
    });
    await rateLimitPool().query(`DELETE FROM "DiscordGlobalWindow"`);
    const client = platform();
    await Promise.all(Array.from({ length: 35 }, () => client.getGuildRoles(discord.world.guild.id)));
    const arrivals = discord.requests("GET /guilds/{guild_id}/roles").map((r) => r.at);
    expect(arrivals).toHaveLength(35);
    expect(peakInAnySecond(arrivals)).toBeLessThanOrEqual(10);
  });
});

describe("error mapping", () => {
  it.each([
    ["unknown guild", () => platform().getGuild("1200000000000009999"), 404, 10004],
    ["unknown member", () => platform().getGuildMember(discord.world.guild.id, discord.world.outsider.id), 404, 10007],
    [
      "unknown role",
      () => platform().addGuildMemberRole(discord.world.guild.id, discord.world.applicant.id, "1200000000000009999"),
      404,
      10011,
    ],
    [
      "role above the bot",
      () =>
        platform().addGuildMemberRole(discord.world.guild.id, discord.world.applicant.id, discord.world.roles.staff.id),
      403,
      50013,
    ],
    [
      "invalid form body",
      () => platform().createGuildRole(discord.world.guild.id, { name: "x".repeat(101) }),
      400,
      50035,
    ],
  ] as const)("%s -> DiscordApiError %s / %s", async (_name, run, status, code) => {
    const error = await caught(run());
    expect(error).toBeInstanceOf(DiscordApiError);
    expect(error).toMatchObject({ status, code });
    const e = error as DiscordApiError;
    expect([e.isNotFound, e.isForbidden, e.isMissingPermissions]).toEqual([
      status === 404,
      status === 403,
      code === 50013,
    ]);
  });

  it("waits out a 429 with Retry-After and retries", async () => {
    discord.injectFault({ route: ROLE_PUT, status: 429, retryAfter: 1 });
    const started = Date.now();
    await platform().addGuildMemberRole(
      discord.world.guild.id,
      discord.world.applicant.id,
      discord.world.roles.approved.id,
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(discord.requests(ROLE_PUT).map((r) => r.status)).toEqual([429, 204]);
  });

  it("surfaces a long 429 as isRateLimited with retryAfter instead of waiting", async () => {
    discord.injectFault({ route: ROLE_PUT, status: 429, retryAfter: 60, times: 5 });
    const started = Date.now();
    const error = (await caught(
      platform().addGuildMemberRole(
        discord.world.guild.id,
        discord.world.applicant.id,
        discord.world.roles.approved.id,
      ),
    )) as DiscordApiError;
    expect(Date.now() - started).toBeLessThan(5000);
    expect(error).toBeInstanceOf(DiscordApiError);
    expect(error.isRateLimited).toBe(true);
    expect(error.retryAfter).toBeGreaterThanOrEqual(59);
  });

  it("retries a 5xx, then succeeds", async () => {
    discord.injectFault({ route: GUILD, status: 502 });
    expect((await platform().getGuild(discord.world.guild.id)).id).toBe(discord.world.guild.id);
    expect(discord.requests(GUILD).map((r) => r.status)).toEqual([502, 200]);
  });

  it("surfaces a persistent 5xx after the retries", async () => {
    discord.injectFault({ route: GUILD, status: 503, times: 10 });
    const error = (await caught(platform().getGuild(discord.world.guild.id))) as DiscordApiError;
    expect(error).toBeInstanceOf(DiscordApiError);
    expect(error.status).toBe(503);
    expect(error.isServerError).toBe(true);
    expect(discord.countRequests(GUILD)).toBe(3);
  });

  it("aborts a request slower than the timeout", async () => {
    discord.injectFault({ route: GUILD, delayMs: 5000, times: 5 });
    const client = createDiscordClient({ token: discord.world.platform.botToken, kind: "Bot", timeoutMs: 300 });
    const started = Date.now();
    const error = await caught(client.getGuild(discord.world.guild.id));
    expect(error).toBeInstanceOf(DiscordTimeoutError);
    expect(Date.now() - started).toBeLessThan(2500);
  });

  it("maps a dropped connection to DiscordNetworkError", async () => {
    discord.injectFault({ route: GUILD, drop: true });
    expect(await caught(platform().getGuild(discord.world.guild.id))).toBeInstanceOf(DiscordNetworkError);
  });

  it("treats a response without the fields we rely on as a 502, not as data", async () => {
    server.use(
      http.get("https://discord.com/api/v10/guilds/:guild/members/:user", () =>
        HttpResponse.json({ nick: "no roles here" }),
      ),
    );
    const error = (await caught(
      platform().getGuildMember(discord.world.guild.id, discord.world.applicant.id),
    )) as DiscordApiError;
    expect(error).toBeInstanceOf(DiscordApiError);
    expect([error.status, error.isServerError]).toEqual([502, true]);
  });

  it("stops using a token Discord answered 401 and tells the listeners first", async () => {
    const seen: string[] = [];
    const off = onUnauthorizedToken(({ token }) => {
      seen.push(token);
    });
    try {
      const client = createDiscordClient({ token: "revoked-token-value", kind: "Bot" });
      const first = (await caught(client.getGuild(discord.world.guild.id))) as DiscordApiError;
      expect(first.isUnauthorized).toBe(true);
      expect(seen).toEqual(["revoked-token-value"]);
      const second = (await caught(
        createDiscordClient({ token: "revoked-token-value", kind: "Bot" }).getGuildRoles(discord.world.guild.id),
      )) as DiscordApiError;
      expect(second.isUnauthorized).toBe(true);
      expect(discord.countRequests()).toBe(1);
    } finally {
      off();
    }
  });

  it("still throws the Discord error when a 401 listener fails", async () => {
    const off = onUnauthorizedToken(() => {
      throw new Error("database unreachable");
    });
    try {
      const error = (await caught(
        createDiscordClient({ token: "another-revoked-token", kind: "Bot" }).getGuild(discord.world.guild.id),
      )) as DiscordApiError;
      expect(error).toBeInstanceOf(DiscordApiError);
      expect(error.isUnauthorized).toBe(true);
    } finally {
      off();
    }
  });

  it("refuses calls locally once the invalid-request budget is spent", async () => {
    // 33 per 10 minutes: 3 per one-minute window; no part reserved for sign-in.
    restoreLimits = useLimits({ DISCORD_INVALID_REQUEST_LIMIT: "33", DISCORD_INVALID_REQUEST_SIGN_IN_RESERVE: "0" });
    for (let i = 0; i < 3; i++) {
      await caught(
        platform().addGuildMemberRole(discord.world.guild.id, discord.world.applicant.id, discord.world.roles.staff.id),
      );
    }
    const before = discord.countRequests();
    const refused = (await caught(platform().getGuild(discord.world.guild.id))) as DiscordApiError;
    expect(refused).toBeInstanceOf(DiscordInvalidRequestBudgetError);
    expect(refused.isRateLimited).toBe(true);
    expect(refused.retryAfter).toBeGreaterThan(0);
    expect(discord.countRequests()).toBe(before);
  });
});

describe("secrets", () => {
  const SECRET = "MTIwMDAwMDAwMDAwMDAwMDAxMA.GsEcRt.tHiS-iS-a-SeCrEt-ToKeN-sHaPeD-vAlUe_42";

  it("never puts the token in any error, whatever goes wrong", async () => {
    const app = discord.model.addApplication({ name: "Secret Bot", botToken: SECRET });
    discord.model.addBotToGuild(discord.world.guild.id, app.id);
    const client = createDiscordClient({ token: SECRET, kind: "Bot", timeoutMs: 300 });
    const errors: Error[] = [];
    errors.push(await caught(client.getGuild("1200000000000009999")));
    discord.injectFault({ route: GUILD, status: 500, times: 3 });
    errors.push(await caught(client.getGuild(discord.world.guild.id)));
    discord.injectFault({ route: GUILD, drop: true });
    errors.push(await caught(client.getGuild(discord.world.guild.id)));
    discord.injectFault({ route: GUILD, delayMs: 1000, times: 3 });
    errors.push(await caught(client.getGuild(discord.world.guild.id)));
    discord.faults.clear();
    discord.injectFault({ route: GUILD, status: 401 });
    errors.push(await caught(client.getGuild(discord.world.guild.id)));
    errors.push(await caught(client.getGuild(discord.world.guild.id)));
    expect(errors.map((e) => e.constructor.name)).toEqual([
      "DiscordApiError",
      "DiscordApiError",
      "DiscordNetworkError",
      "DiscordTimeoutError",
      "DiscordApiError",
      "DiscordApiError",
    ]);
    for (const error of errors) {
      const text = [
        error.message,
        error.stack,
        String(error),
        JSON.stringify(error),
        inspect(error, { depth: 10, showHidden: true }),
      ].join("\n");
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain("tHiS-iS-a-SeCrEt");
    }
  });

  it("keeps the client secret, code and refresh token out of OAuth errors", async () => {
    const error = (await caught(
      exchangeCode({ code: "wrong-code-value", redirectUri: "http://localhost:3000/cb" }),
    )) as DiscordApiError;
    expect(error.isInvalidGrant).toBe(true);
    const refresh = (await caught(refreshAccessToken({ refreshToken: "refresh-secret-value" }))) as DiscordApiError;
    expect(refresh.isInvalidGrant).toBe(true);
    for (const e of [error, refresh]) {
      const text = inspect(e, { depth: 10, showHidden: true }) + JSON.stringify(e);
      expect(text).not.toContain(discord.world.platform.secret);
      expect(text).not.toContain("wrong-code-value");
      expect(text).not.toContain("refresh-secret-value");
    }
  });
});

describe("audit-log reason", () => {
  it("is URL-encoded by the request and cut to 512 encoded characters without splitting a character", async () => {
    const reason = `Approved by Zoë ✓ ${"é".repeat(400)}`;
    await platform().addGuildMemberRole(
      discord.world.guild.id,
      discord.world.applicant.id,
      discord.world.roles.approved.id,
      { reason },
    );
    const sent = discord.requests(ROLE_PUT)[0]!;
    expect(sent.headers["x-audit-log-reason"]!.length).toBeLessThanOrEqual(512);
    expect(sent.auditLogReason!.length).toBeGreaterThan(50);
    expect(reason.startsWith(sent.auditLogReason!)).toBe(true);
    expect(auditLogReason("a".repeat(600))).toHaveLength(512);
    expect(auditLogReason("")).toBeUndefined();
  });
});

describe("OAuth helpers", () => {
  it("exchanges a bot authorization code and returns the guild, then refreshes", async () => {
    const redirectUri = "http://localhost:3000/api/discord/bot-callback";
    const code = discord.issueAuthorizationCode({
      clientId: discord.world.platform.id,
      userId: discord.world.admin.id,
      scopes: ["bot", "identify"],
      redirectUri,
      guildId: discord.world.otherGuild.id,
    });
    const grant = await exchangeCode({ code, redirectUri });
    expect(grant.guild).toEqual({ id: discord.world.otherGuild.id, name: "Second Guild" });
    expect(grant.scopes).toEqual(["bot", "identify"]);
    expect(grant.expiresAt.getTime()).toBeGreaterThan(Date.now());
    const refreshed = await refreshAccessToken({ refreshToken: grant.refreshToken! });
    expect(refreshed.accessToken).not.toBe(grant.accessToken);
    expect(refreshed.guild).toBeNull();
  });
});

describe("messages", () => {
  it("sends a DM to a user who shares a guild with the bot", async () => {
    const client = platform();
    const { applicant } = discord.world;
    const dm = await client.createDM(applicant.id);
    expect((await client.createDM(applicant.id)).id).toBe(dm.id);
    const sent = await client.createMessage(dm.id, { content: "Welcome", allowed_mentions: { parse: [] } });
    expect(sent.channel_id).toBe(dm.id);
    expect(discord.model.dmsTo(applicant.id).map((m) => m.content)).toEqual(["Welcome"]);
  });

  it("is refused with 50007 when the user closed their DMs or shares no guild with the bot", async () => {
    const client = platform();
    const { applicant } = discord.world;
    const dm = await client.createDM(applicant.id);
    discord.model.setDmsClosed(applicant.id, true);
    const closed = await caught(client.createMessage(dm.id, { content: "hi" }));
    expect(closed).toBeInstanceOf(DiscordApiError);
    expect((closed as DiscordApiError).isCannotMessageUser).toBe(true);
    const stranger = discord.model.addUser({ username: "stranger" });
    const strangerDm = await client.createDM(stranger.id);
    const error = (await caught(client.createMessage(strangerDm.id, { content: "hi" }))) as DiscordApiError;
    expect([error.status, error.code]).toEqual([403, DISCORD_ERROR_CODES.CANNOT_MESSAGE_USER]);
    expect(discord.model.messages.size).toBe(0);
  });

  it("posts, edits and deletes its own message in a guild channel, within Discord's rules", async () => {
    const client = platform();
    const { guild, channels } = discord.world;
    const row = { type: 1, components: [{ type: 2, style: 1, label: "Approve", custom_id: "x:approve" }] };
    const sent = await client.createMessage(channels.general.id, { content: "New application", components: [row] });
    expect(sent.components?.[0]).toMatchObject({ type: 1, components: [{ custom_id: "x:approve" }] });
    const edited = await client.editMessage(channels.general.id, sent.id, { content: "Approved", components: [] });
    expect([edited.content, edited.components, typeof edited.edited_timestamp]).toEqual(["Approved", [], "string"]);
    await client.deleteMessage(channels.general.id, sent.id);
    expect(discord.model.channelMessages(channels.general.id)).toEqual([]);

    // An embed needs Embed Links, which the demo bot lacks; too long a message is a 50035.
    const embed = (await caught(
      client.createMessage(channels.general.id, { embeds: [{ title: "x" }] }),
    )) as DiscordApiError;
    expect(embed.isMissingPermissions).toBe(true);
    const long = (await caught(
      client.createMessage(channels.general.id, { content: "x".repeat(2001) }),
    )) as DiscordApiError;
    expect([long.status, long.code]).toEqual([400, 50035]);
    expect(guild.channels.size).toBe(2);
    expect(discord.model.messages.size).toBe(0);
  });
});
