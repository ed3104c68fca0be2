// The sandbox serves the fake over real HTTP: the authorize page and its redirect, the token endpoint, the API with
// rate-limit headers, and the admin API for faults (a dropped connection really closes the socket) and seeding.
import { http, passthrough } from "msw";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { server } from "~tests/msw/server";
import { type DiscordSandbox, startDiscordSandbox } from "~tests/fakes/discord/sandbox";

let sandbox: DiscordSandbox;

beforeAll(async () => {
  sandbox = await startDiscordSandbox({ port: 0 });
});
afterAll(() => sandbox.close());
beforeEach(async () => {
  server.use(http.all(`${sandbox.url}/*`, () => passthrough()));
  await fetch(`${sandbox.url}/_sandbox/reset`, { method: "POST" });
});

const bot = () => ({ Authorization: `Bot ${sandbox.env.DISCORD_TOKEN}` });

describe("discord sandbox over HTTP", () => {
  it("serves the authorize page and redirects with a code that the token endpoint exchanges for the guild", async () => {
    const world = sandbox.world();
    const redirectUri = "http://localhost:3000/api/discord/bot-callback";
    const page = await fetch(
      `${sandbox.env.DISCORD_AUTHORIZE_URL}?client_id=${world.platform.id}&response_type=code&scope=identify%20bot&permissions=268435456&state=abc&redirect_uri=${encodeURIComponent(redirectUri)}`,
    );
    const html = await page.text();
    expect(html).toContain("Guildgate (sandbox)");
    expect(html).toContain("Second Guild");

    const form = new URLSearchParams({
      client_id: world.platform.id,
      redirect_uri: redirectUri,
      response_type: "code",
      scope: "identify bot",
      permissions: "268435456",
      state: "abc",
      user_id: world.admin.id,
      guild_id: world.otherGuild.id,
      action: "authorize",
    });
    const submit = await fetch(sandbox.env.DISCORD_AUTHORIZE_URL, { method: "POST", body: form, redirect: "manual" });
    expect(submit.status).toBe(302);
    const location = new URL(submit.headers.get("location")!);
    expect(location.origin + location.pathname).toBe(redirectUri);

    const token = await fetch(`${sandbox.env.DISCORD_API_BASE_URL}/oauth2/token`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        client_id: sandbox.env.DISCORD_CLIENT_ID,
        client_secret: sandbox.env.DISCORD_CLIENT_SECRET,
        grant_type: "authorization_code",
        code: location.searchParams.get("code")!,
        redirect_uri: redirectUri,
      }),
    });
    expect(await token.json()).toMatchObject({ guild: { id: world.otherGuild.id } });
  });

  it("answers the API with Discord's rate-limit headers", async () => {
    const res = await fetch(`${sandbox.env.DISCORD_API_BASE_URL}/guilds/${sandbox.world().guild.id}/roles`, {
      headers: bot(),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-ratelimit-limit")).toBe("5");
    expect(res.headers.get("x-ratelimit-bucket")).toMatch(/^[0-9a-f]+$/);
  });

  it("injects faults through the admin API, including a dropped connection", async () => {
    const guildUrl = `${sandbox.env.DISCORD_API_BASE_URL}/guilds/${sandbox.world().guild.id}`;
    const add = await fetch(`${sandbox.url}/_sandbox/faults`, {
      method: "POST",
      body: JSON.stringify({ route: "GET /guilds/{guild_id}", status: 500, times: 1 }),
    });
    expect(add.status).toBe(201);
    expect((await fetch(guildUrl, { headers: bot() })).status).toBe(500);
    expect((await fetch(guildUrl, { headers: bot() })).status).toBe(200);

    await fetch(`${sandbox.url}/_sandbox/faults`, {
      method: "POST",
      body: JSON.stringify({ route: "GET /guilds/{guild_id}", drop: true }),
    });
    await expect(fetch(guildUrl, { headers: bot() })).rejects.toThrow();

    const recorded = (await (
      await fetch(`${sandbox.url}/_sandbox/requests?route=${encodeURIComponent("GET /guilds/{guild_id}")}`)
    ).json()) as {
      status: number | string;
      headers: Record<string, string>;
    }[];
    expect(recorded.map((r) => r.status)).toEqual([500, 200, "dropped"]);
    expect(recorded[0]!.headers.authorization).toBe("[redacted]");
  });

  it("shortens Create Message's nonce window through the admin API: past it the same nonce posts again", async () => {
    const post = async () => {
      const res = await fetch(
        `${sandbox.env.DISCORD_API_BASE_URL}/channels/${sandbox.world().channels.general.id}/messages`,
        {
          method: "POST",
          headers: { ...bot(), "Content-Type": "application/json" },
          body: JSON.stringify({ content: "once", nonce: "sandbox-nonce", enforce_nonce: true }),
        },
      );
      return ((await res.json()) as { id: string }).id;
    };
    const first = await post();
    expect(await post()).toBe(first);
    const set = await fetch(`${sandbox.url}/_sandbox/nonce-window`, {
      method: "POST",
      body: JSON.stringify({ ms: 0 }),
    });
    expect(await set.json()).toEqual({ nonceWindowMs: 0 });
    expect(await post()).not.toBe(first);
    const refused = await fetch(`${sandbox.url}/_sandbox/nonce-window`, {
      method: "POST",
      body: JSON.stringify({ ms: -1 }),
    });
    expect(refused.status).toBe(400);
  });

  it("adds users, guilds, roles and members through the admin API", async () => {
    const user = (await (
      await fetch(`${sandbox.url}/_sandbox/users`, { method: "POST", body: JSON.stringify({ username: "newbie" }) })
    ).json()) as { id: string };
    const guild = (await (
      await fetch(`${sandbox.url}/_sandbox/guilds`, {
        method: "POST",
        body: JSON.stringify({ name: "New Guild", ownerId: sandbox.world().admin.id }),
      })
    ).json()) as { id: string };
    await fetch(`${sandbox.url}/_sandbox/guilds/${guild.id}/members`, {
      method: "POST",
      body: JSON.stringify({ userId: user.id }),
    });
    await fetch(`${sandbox.url}/_sandbox/guilds/${guild.id}/roles`, {
      method: "POST",
      body: JSON.stringify({ name: "Fresh" }),
    });
    const state = (await (await fetch(`${sandbox.url}/_sandbox`)).json()) as {
      guilds: { id: string; members: unknown[]; roles: { name: string }[] }[];
    };
    const created = state.guilds.find((g) => g.id === guild.id)!;
    expect(created.members).toHaveLength(2);
    expect(created.roles.map((r) => r.name)).toContain("Fresh");
  });
});

describe("the sandbox's direct messages (issue 14)", () => {
  it("shows what the bot sent a user, as JSON and as a page, and closes a user's DMs (50007 from then on)", async () => {
    const world = sandbox.world();
    const api = sandbox.env.DISCORD_API_BASE_URL;
    const json = { ...bot(), "Content-Type": "application/json" };
    const dm = (await (
      await fetch(`${api}/users/@me/channels`, {
        method: "POST",
        headers: json,
        body: JSON.stringify({ recipient_id: world.applicant.id }),
      })
    ).json()) as { id: string };
    const sent = await fetch(`${api}/channels/${dm.id}/messages`, {
      method: "POST",
      headers: json,
      body: JSON.stringify({ content: "Your application <was> approved" }),
    });
    expect(sent.status).toBe(200);

    const listed = (await (await fetch(`${sandbox.url}/_sandbox/users/${world.applicant.id}/dms`)).json()) as {
      messages: { content: string }[];
    };
    expect(listed.messages.map((m) => m.content)).toEqual(["Your application <was> approved"]);
    const page = await fetch(`${sandbox.url}/_sandbox/dms?user=${world.applicant.id}`);
    expect(page.headers.get("content-type")).toMatch(/text\/html/);
    const html = await page.text();
    expect(html).toContain("Your application &lt;was&gt; approved"); // escaped, not markup
    expect(html).toContain("Alex Applicant");

    const closed = await fetch(`${sandbox.url}/_sandbox/users/${world.applicant.id}/dms-closed`, {
      method: "POST",
      body: JSON.stringify({ closed: true }),
    });
    expect(closed.status).toBe(200);
    const refused = await fetch(`${api}/channels/${dm.id}/messages`, {
      method: "POST",
      headers: json,
      body: JSON.stringify({ content: "again" }),
    });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { code: number }).code).toBe(50007);
    expect(await (await fetch(`${sandbox.url}/_sandbox/dms`)).text()).toContain("DMs closed");
  });
});
