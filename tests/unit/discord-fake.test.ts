// The Discord fake behaves like Discord: statuses, JSON error codes, permissions, OAuth, faults, rate limits.
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { useDiscordFake } from "~tests/fakes/discord";

const discord = useDiscordFake();
const API = "https://discord.com/api/v10";

function bot(path: string, init: RequestInit = {}, token = discord.world.platform.botToken) {
  return fetch(`${API}${path}`, { ...init, headers: { Authorization: `Bot ${token}`, ...init.headers } });
}

const rolePath = (userId: string, roleId: string) =>
  `/guilds/${discord.world.guild.id}/members/${userId}/roles/${roleId}`;
const ROLE_PUT = "PUT /guilds/{guild_id}/members/{user_id}/roles/{role_id}";

describe("REST routes", () => {
  it("answers /users/@me for the bot and 401 with code 40001 for a bad token", async () => {
    const me = await bot("/users/@me");
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ id: discord.world.platform.botUserId, bot: true });
    const bad = await bot("/users/@me", {}, "not-a-token");
    expect(bad.status).toBe(401);
    expect(await bad.json()).toMatchObject({ code: 40001 });
  });

  it("returns the guild with counts, its roles by position and its channels", async () => {
    const guild = await (await bot(`/guilds/${discord.world.guild.id}?with_counts=true`)).json();
    expect(guild).toMatchObject({ id: discord.world.guild.id, name: "Demo Guild", approximate_member_count: 3 });
    const roles = (await (await bot(`/guilds/${discord.world.guild.id}/roles`)).json()) as {
      name: string;
      position: number;
    }[];
    expect(roles.map((r) => r.name)).toEqual(["@everyone", "Member", "Approved", "Guildgate", "Staff"]);
    const channels = (await (await bot(`/guilds/${discord.world.guild.id}/channels`)).json()) as { name: string }[];
    expect(channels.map((c) => c.name)).toEqual(["general", "rules"]);
  });

  it("answers 10004 for an unknown guild and 50001 for a guild the bot is not in", async () => {
    const unknown = await bot("/guilds/1200000000000009999");
    expect([unknown.status, (await unknown.json()).code]).toEqual([404, 10004]);
    const notIn = await bot(`/guilds/${discord.world.otherGuild.id}`);
    expect([notIn.status, (await notIn.json()).code]).toEqual([403, 50001]);
  });

  it("adds and removes a member role with 204 and keeps the decoded audit-log reason", async () => {
    const { applicant, roles } = discord.world;
    const put = await bot(rolePath(applicant.id, roles.approved.id), {
      method: "PUT",
      headers: { "X-Audit-Log-Reason": encodeURIComponent("Approved by Demo Admin ✓") },
    });
    expect(put.status).toBe(204);
    expect(put.headers.get("x-ratelimit-limit")).not.toBeNull();
    expect(discord.world.guild.members.get(applicant.id)!.roleIds.has(roles.approved.id)).toBe(true);
    expect(discord.auditLog).toEqual([
      expect.objectContaining({ action: "MEMBER_ROLE_ADD", reason: "Approved by Demo Admin ✓" }),
    ]);
    const del = await bot(rolePath(applicant.id, roles.approved.id), { method: "DELETE" });
    expect(del.status).toBe(204);
    expect(discord.world.guild.members.get(applicant.id)!.roleIds.size).toBe(0);
  });

  it("refuses a role at or above the bot's highest role (50013), unknown roles (10011) and members (10007)", async () => {
    const { applicant, outsider, roles } = discord.world;
    const above = await bot(rolePath(applicant.id, roles.staff.id), { method: "PUT" });
    expect([above.status, (await above.json()).code]).toEqual([403, 50013]);
    const unknownRole = await bot(rolePath(applicant.id, "1200000000000009999"), { method: "PUT" });
    expect([unknownRole.status, (await unknownRole.json()).code]).toEqual([404, 10011]);
    const unknownMember = await bot(rolePath(outsider.id, roles.approved.id), { method: "PUT" });
    expect([unknownMember.status, (await unknownMember.json()).code]).toEqual([404, 10007]);
  });

  it("refuses role changes without MANAGE_ROLES (50013)", async () => {
    discord.world.roles.bot.permissions = 0n;
    const res = await bot(rolePath(discord.world.applicant.id, discord.world.roles.approved.id), { method: "PUT" });
    expect([res.status, (await res.json()).code]).toEqual([403, 50013]);
  });

  it("creates a role just above @everyone and rejects a too-long name with 50035", async () => {
    const res = await bot(`/guilds/${discord.world.guild.id}/roles`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ name: "Verified" }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ name: "Verified", position: 1 });
    const bad = await bot(`/guilds/${discord.world.guild.id}/roles`, {
      method: "POST",
      body: JSON.stringify({ name: "x".repeat(101) }),
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({
      code: 50035,
      errors: { name: { _errors: [{ code: "BASE_TYPE_MAX_LENGTH" }] } },
    });
  });

  it("lets the bot leave a guild, after which the guild answers 50001", async () => {
    const leave = await bot(`/users/@me/guilds/${discord.world.guild.id}`, { method: "DELETE" });
    expect(leave.status).toBe(204);
    const after = await bot(`/guilds/${discord.world.guild.id}`);
    expect((await after.json()).code).toBe(50001);
    expect(discord.world.guild.roles.has(discord.world.roles.bot.id)).toBe(false);
  });
});

describe("faults and rate limits", () => {
  it("forces a status for the next N calls of a route, then behaves normally", async () => {
    discord.injectFault({ route: "GET /guilds/{guild_id}", status: 503, times: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await bot(`/guilds/${discord.world.guild.id}`)).status);
    expect(statuses).toEqual([503, 503, 200]);
    expect(discord.countRequests("GET /guilds/{guild_id}")).toBe(3);
  });

  it("forces a Discord error code, a delay and a dropped connection", async () => {
    discord.injectFault({ route: ROLE_PUT, status: 404, code: 10007 });
    const forced = await bot(rolePath(discord.world.applicant.id, discord.world.roles.approved.id), { method: "PUT" });
    expect((await forced.json()).code).toBe(10007);

    discord.injectFault({ route: "GET /users/@me", delayMs: 150 });
    const started = Date.now();
    expect((await bot("/users/@me")).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);

    discord.injectFault({ route: "GET /users/@me", drop: true });
    await expect(bot("/users/@me")).rejects.toThrow();
    expect(discord.requests("GET /users/@me").at(-1)!.status).toBe("dropped");
  });

  it("answers 429 with Discord's headers and body once a route bucket is empty", async () => {
    discord.configureRateLimits({ routes: { "GET /guilds/{guild_id}/roles": { limit: 1, windowMs: 2000 } } });
    expect((await bot(`/guilds/${discord.world.guild.id}/roles`)).status).toBe(200);
    const limited = await bot(`/guilds/${discord.world.guild.id}/roles`);
    expect(limited.status).toBe(429);
    expect(limited.headers.get("x-ratelimit-scope")).toBe("user");
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    const body = await limited.json();
    expect(body).toMatchObject({ global: false, message: "You are being rate limited." });
    expect(body.retry_after).toBeGreaterThan(0);
  });

  it("applies the global per-bot limit across routes", async () => {
    discord.configureRateLimits({ global: { limit: 2, windowMs: 5000 } });
    await bot("/users/@me");
    await bot(`/guilds/${discord.world.guild.id}`);
    const third = await bot(`/guilds/${discord.world.guild.id}/roles`);
    expect(third.status).toBe(429);
    expect(third.headers.get("x-ratelimit-global")).toBe("true");
    expect((await third.json()).global).toBe(true);
  });
});

describe("OAuth2", () => {
  const redirectUri = "http://localhost:3000/api/discord/bot-callback";

  it("serves an authorize page with the app's name, scopes and a guild picker", async () => {
    const url = new URL("https://discord.com/oauth2/authorize");
    url.search = new URLSearchParams({
      client_id: discord.world.platform.id,
      redirect_uri: redirectUri,
      response_type: "code",
      scope: "identify bot",
      permissions: String(1n << 28n),
      state: "s1",
    }).toString();
    const res = await fetch(url);
    expect(res.headers.get("content-type")).toContain("text/html");
    const html = await res.text();
    expect(html).toContain("Guildgate");
    expect(html).toContain("Add a bot to a server");
    expect(html).toContain(`<option value="${discord.world.otherGuild.id}"`);
    expect(html).toContain("Authorize</button>");
  });

  it("authorizes a bot into the picked guild, redirects with code, state and guild_id, and the token names the guild", async () => {
    const form = new URLSearchParams({
      client_id: discord.world.platform.id,
      redirect_uri: redirectUri,
      response_type: "code",
      scope: "bot identify",
      permissions: String(1n << 28n),
      state: "st",
      user_id: discord.world.admin.id,
      guild_id: discord.world.otherGuild.id,
      action: "authorize",
    });
    const res = await fetch("https://discord.com/oauth2/authorize", { method: "POST", body: form, redirect: "manual" });
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get("location")!);
    expect(location.searchParams.get("state")).toBe("st");
    expect(location.searchParams.get("guild_id")).toBe(discord.world.otherGuild.id);
    expect(discord.world.otherGuild.members.has(discord.world.platform.botUserId)).toBe(true);

    const token = await exchange(location.searchParams.get("code")!);
    expect(token.status).toBe(200);
    const body = await token.json();
    expect(body).toMatchObject({
      token_type: "Bearer",
      scope: "bot identify",
      guild: { id: discord.world.otherGuild.id },
    });
    // A code works once.
    const again = await exchange(location.searchParams.get("code")!);
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ error: "invalid_grant" });
  });

  it("enforces PKCE (S256) when the authorize request carried a challenge", async () => {
    const verifier = "a-verifier-of-sufficient-length-0123456789abcdef";
    const form = new URLSearchParams({
      client_id: discord.world.platform.id,
      redirect_uri: redirectUri,
      response_type: "code",
      scope: "identify",
      state: "p",
      code_challenge: createHash("sha256").update(verifier).digest("base64url"),
      code_challenge_method: "S256",
      user_id: discord.world.admin.id,
      action: "authorize",
    });
    const res = await fetch("https://discord.com/oauth2/authorize", { method: "POST", body: form, redirect: "manual" });
    const code = new URL(res.headers.get("location")!).searchParams.get("code")!;
    const without = await exchange(code);
    expect(await without.json()).toMatchObject({ error: "invalid_grant" });
    const wrong = await postToken({
      grant_type: "authorization_code",
      code,
      redirect_uri: redirectUri,
      code_verifier: "wrong",
    });
    expect(wrong.status).toBe(400);
    const right = await postToken({
      grant_type: "authorization_code",
      code,
      redirect_uri: redirectUri,
      code_verifier: verifier,
    });
    expect(right.status).toBe(200);
  });

  it("redirects with error=access_denied on Cancel", async () => {
    const form = new URLSearchParams({
      client_id: discord.world.platform.id,
      redirect_uri: redirectUri,
      response_type: "code",
      scope: "identify",
      state: "x",
      user_id: discord.world.admin.id,
      action: "cancel",
    });
    const res = await fetch("https://discord.com/oauth2/authorize", { method: "POST", body: form, redirect: "manual" });
    expect(new URL(res.headers.get("location")!).searchParams.get("error")).toBe("access_denied");
  });

  it("issues a user token that reads /users/@me and /users/@me/guilds, and rotates it on refresh", async () => {
    const code = discord.issueAuthorizationCode({
      clientId: discord.world.platform.id,
      userId: discord.world.admin.id,
      scopes: ["identify", "guilds"],
      redirectUri,
    });
    const first = await (await exchange(code)).json();
    const me = await fetch(`${API}/users/@me`, { headers: { Authorization: `Bearer ${first.access_token}` } });
    expect(await me.json()).toMatchObject({ id: discord.world.admin.id, username: "demo_admin" });
    const guilds = (await (
      await fetch(`${API}/users/@me/guilds`, { headers: { Authorization: `Bearer ${first.access_token}` } })
    ).json()) as {
      id: string;
      owner: boolean;
    }[];
    expect(guilds.map((g) => g.id)).toEqual([discord.world.guild.id, discord.world.otherGuild.id]);

    const refreshed = await postToken({ grant_type: "refresh_token", refresh_token: first.refresh_token });
    expect(refreshed.status).toBe(200);
    const second = await refreshed.json();
    expect(second.access_token).not.toBe(first.access_token);
    const reuse = await postToken({ grant_type: "refresh_token", refresh_token: first.refresh_token });
    expect(await reuse.json()).toMatchObject({ error: "invalid_grant" });
    const old = await fetch(`${API}/users/@me`, { headers: { Authorization: `Bearer ${first.access_token}` } });
    expect(old.status).toBe(401);
  });

  it("rejects a wrong client secret with invalid_client", async () => {
    const res = await postToken({ grant_type: "refresh_token", refresh_token: "x" }, "wrong-secret");
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: "invalid_client" });
  });

  function exchange(code: string) {
    return postToken({ grant_type: "authorization_code", code, redirect_uri: redirectUri });
  }

  function postToken(fields: Record<string, string>, secret = discord.world.platform.secret) {
    return fetch(`${API}/oauth2/token`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ client_id: discord.world.platform.id, client_secret: secret, ...fields }),
    });
  }
});
