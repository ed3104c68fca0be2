// Holds the fake to Discord's own OpenAPI description: every route the product calls answers with a status the
// spec documents and a body that matches the spec's schema, errors included.
import { describe, expect, it } from "vitest";
import { newSnowflake, PERMISSIONS, useDiscordFake, WORLD_IDS } from "~tests/fakes/discord";
import { CREATE_INSTANT_INVITE } from "~tests/fakes/discord/invites";
import { loadDiscordSpec, responseSchema, validate } from "~tests/fakes/discord/openapi-check";

const spec = loadDiscordSpec();
const discord = useDiscordFake();
const API = "https://discord.com/api/v10";

type Case = {
  template: string;
  method: string;
  path: () => string;
  body?: unknown;
  auth?: () => string;
  status: number;
};

/** A snowflake from 2020: every message the fake creates comes after it. */
const EARLY_SNOWFLAKE = "700000000000000000";
const botAuth = () => `Bot ${discord.world.platform.botToken}`;
const g = () => discord.world.guild.id;

const CASES: Case[] = [
  { template: "/guilds/{guild_id}", method: "GET", path: () => `/guilds/${g()}?with_counts=true`, status: 200 },
  { template: "/guilds/{guild_id}/roles", method: "GET", path: () => `/guilds/${g()}/roles`, status: 200 },
  {
    template: "/guilds/{guild_id}/roles",
    method: "POST",
    path: () => `/guilds/${g()}/roles`,
    body: { name: "New" },
    status: 200,
  },
  { template: "/guilds/{guild_id}/channels", method: "GET", path: () => `/guilds/${g()}/channels`, status: 200 },
  {
    template: "/guilds/{guild_id}/members/{user_id}",
    method: "GET",
    path: () => `/guilds/${g()}/members/${discord.world.applicant.id}`,
    status: 200,
  },
  {
    template: "/guilds/{guild_id}/members/{user_id}/roles/{role_id}",
    method: "PUT",
    path: () => `/guilds/${g()}/members/${discord.world.applicant.id}/roles/${discord.world.roles.approved.id}`,
    status: 204,
  },
  {
    template: "/guilds/{guild_id}/members/{user_id}/roles/{role_id}",
    method: "DELETE",
    path: () => `/guilds/${g()}/members/${discord.world.applicant.id}/roles/${discord.world.roles.approved.id}`,
    status: 204,
  },
  {
    template: "/guilds/{guild_id}/members/search",
    method: "GET",
    path: () => `/guilds/${g()}/members/search?query=alex&limit=10`,
    status: 200,
  },
  { template: "/users/@me", method: "GET", path: () => "/users/@me", status: 200 },
  { template: "/users/@me", method: "GET", path: () => "/users/@me", auth: () => `Bearer ${userToken()}`, status: 200 },
  {
    template: "/users/@me/guilds",
    method: "GET",
    path: () => "/users/@me/guilds",
    auth: () => `Bearer ${userToken()}`,
    status: 200,
  },
  { template: "/users/@me/guilds/{guild_id}", method: "DELETE", path: () => `/users/@me/guilds/${g()}`, status: 204 },
  // Errors: the spec's 4XX ErrorResponse.
  { template: "/guilds/{guild_id}", method: "GET", path: () => "/guilds/1200000000000009999", status: 404 },
  {
    template: "/guilds/{guild_id}/members/{user_id}/roles/{role_id}",
    method: "PUT",
    path: () => `/guilds/${g()}/members/${discord.world.applicant.id}/roles/${discord.world.roles.staff.id}`,
    status: 403,
  },
  {
    template: "/guilds/{guild_id}/roles",
    method: "POST",
    path: () => `/guilds/${g()}/roles`,
    body: { name: "x".repeat(101) },
    status: 400,
  },
  { template: "/users/@me", method: "GET", path: () => "/users/@me", auth: () => "Bot wrong", status: 401 },
  // DMs and channel messages.
  {
    template: "/users/@me/channels",
    method: "POST",
    path: () => "/users/@me/channels",
    body: { recipient_id: WORLD_IDS.applicant },
    status: 200,
  },
  {
    template: "/channels/{channel_id}/messages",
    method: "POST",
    path: () => `/channels/${WORLD_IDS.generalChannel}/messages`,
    body: {
      content: "New application",
      components: [{ type: 1, components: [{ type: 2, style: 3, label: "Approve", custom_id: "gg:a:1" }] }],
    },
    status: 200,
  },
  {
    template: "/channels/{channel_id}/messages",
    method: "POST",
    path: () => `/channels/${WORLD_IDS.generalChannel}/messages`,
    body: { content: "Once only", nonce: "n".repeat(25), enforce_nonce: true },
    status: 200,
  },
  {
    template: "/channels/{channel_id}/messages",
    method: "POST",
    path: () => `/channels/${WORLD_IDS.generalChannel}/messages`,
    body: { content: "Once only", nonce: "n".repeat(26), enforce_nonce: true },
    status: 400,
  },
  {
    template: "/channels/{channel_id}/messages",
    method: "GET",
    path: () => `/channels/${postMessage().channelId}/messages`,
    status: 200,
  },
  {
    template: "/channels/{channel_id}/messages",
    method: "GET",
    path: () => `/channels/${postMessage().channelId}/messages?limit=100&after=${EARLY_SNOWFLAKE}`,
    status: 200,
  },
  {
    template: "/channels/{channel_id}/messages",
    method: "GET",
    path: () => `/channels/${postMessage().channelId}/messages?limit=5&before=${newSnowflake()}`,
    status: 200,
  },
  {
    template: "/channels/{channel_id}/messages",
    method: "GET",
    path: () => `/channels/${WORLD_IDS.generalChannel}/messages?limit=101`,
    status: 400,
  },
  {
    template: "/channels/{channel_id}/messages/{message_id}",
    method: "PATCH",
    path: () => `/channels/${WORLD_IDS.generalChannel}/messages/${postMessage().id}`,
    body: { content: "Approved", embeds: [{ title: "Done", fields: [{ name: "By", value: "Ada" }] }], components: [] },
    status: 200,
  },
  {
    template: "/channels/{channel_id}/messages/{message_id}",
    method: "DELETE",
    path: () => `/channels/${WORLD_IDS.generalChannel}/messages/${postMessage().id}`,
    status: 204,
  },
  {
    template: "/channels/{channel_id}/messages",
    method: "POST",
    path: () => `/channels/${closedDm()}/messages`,
    body: { content: "hi" },
    status: 403,
  },
  {
    template: "/channels/{channel_id}/invites",
    method: "POST",
    path: () => `/channels/${invitableChannel()}/invites`,
    body: { max_age: 0, max_uses: 0, unique: false },
    status: 200,
  },
  {
    template: "/channels/{channel_id}/invites",
    method: "POST",
    path: () => `/channels/${WORLD_IDS.rulesChannel}/invites`,
    body: { max_age: 0 },
    status: 403,
  },
];

/** #general, with the bot allowed to create invites (the world's bot may not). */
function invitableChannel(): string {
  const { model, world } = discord;
  const role = model.addRole(world.guild.id, { name: "invites", permissions: CREATE_INSTANT_INVITE });
  world.guild.members.get(world.platform.botUserId)!.roleIds.add(role.id);
  return WORLD_IDS.generalChannel;
}

/** A message of the bot's in #general, seeded directly (the bot may read history for this check). */
function postMessage() {
  const { model, world } = discord;
  const guild = world.guild;
  const bot = guild.members.get(world.platform.botUserId)!;
  const role = model.addRole(guild.id, { name: "history", permissions: PERMISSIONS.READ_MESSAGE_HISTORY });
  bot.roleIds.add(role.id);
  const message = {
    id: newSnowflake(),
    channelId: WORLD_IDS.generalChannel,
    guildId: guild.id,
    authorId: world.platform.botUserId,
    content: "seeded",
    embeds: [],
    components: [],
    createdAt: new Date().toISOString(),
    editedAt: null,
  };
  model.messages.set(message.id, message);
  return message;
}

function closedDm(): string {
  discord.model.setDmsClosed(WORLD_IDS.applicant, true);
  return discord.model.openDm(discord.world.platform.botUserId, WORLD_IDS.applicant).id;
}

function userToken(): string {
  return discord.model.issueToken({
    applicationId: discord.world.platform.id,
    userId: discord.world.admin.id,
    scopes: ["identify", "guilds", "email"],
  }).accessToken;
}

describe("the fake against Discord's OpenAPI description", () => {
  it.each(
    CASES.map((c) => [`${c.method} ${c.template} -> ${c.status}${c.auth ? " (bearer or bad token)" : ""}`, c] as const),
  )("%s", async (_name, c) => {
    const res = await fetch(`${API}${c.path()}`, {
      method: c.method,
      headers: { Authorization: (c.auth ?? botAuth)(), "Content-Type": "application/json" },
      body: c.body === undefined ? undefined : JSON.stringify(c.body),
    });
    expect(res.status).toBe(c.status);
    const schema = responseSchema(spec, c.template, c.method, c.status);
    if (c.status === 204) {
      expect(schema).toBeUndefined();
      expect(await res.text()).toBe("");
      return;
    }
    expect(schema).toBeDefined();
    expect(validate(spec, schema!, await res.json())).toEqual([]);
  });

  it("answers a 429 that matches the spec's rate-limited response", async () => {
    discord.configureRateLimits({ routes: { "GET /guilds/{guild_id}/roles": { limit: 1, windowMs: 5000 } } });
    await fetch(`${API}/guilds/${g()}/roles`, { headers: { Authorization: botAuth() } });
    const res = await fetch(`${API}/guilds/${g()}/roles`, { headers: { Authorization: botAuth() } });
    expect(res.status).toBe(429);
    expect(validate(spec, responseSchema(spec, "/guilds/{guild_id}/roles", "GET", 429)!, await res.json())).toEqual([]);
  });

  it("the checker itself rejects bodies that do not match", async () => {
    const schema = responseSchema(spec, "/guilds/{guild_id}/members/{user_id}", "GET", 200)!;
    const res = await fetch(`${API}/guilds/${g()}/members/${discord.world.applicant.id}`, {
      headers: { Authorization: botAuth() },
    });
    const member = (await res.json()) as Record<string, unknown>;
    expect(validate(spec, schema, { ...member, roles: "not-an-array" })).not.toEqual([]);
    const { joined_at: _dropped, ...missing } = member;
    expect(validate(spec, schema, missing)).toContain("$.joined_at: required");
    expect(validate(spec, schema, { ...member, user: { ...(member.user as object), id: "abc" } })).not.toEqual([]);
    // Formats are checked (the hand-written checker before Ajv ignored all 619 of them).
    expect(validate(spec, schema, { ...member, joined_at: "yesterday" }).join()).toMatch(
      /joined_at: must match format "date-time"/,
    );
    expect(validate(spec, schema, { ...member, flags: 2 ** 40 }).join()).toMatch(/flags: must match format "int32"/);
  });

  it("accepts string codes only in per-field errors, as Discord's documentation shows them", () => {
    const schema = responseSchema(spec, "/guilds/{guild_id}/roles", "POST", 400)!;
    const field = {
      name: { _errors: [{ code: "BASE_TYPE_BAD_LENGTH", message: "Must be between 1 and 100 in length." }] },
    };
    expect(validate(spec, schema, { code: 50035, message: "Invalid Form Body", errors: field })).toEqual([]);
    expect(validate(spec, schema, { code: "INVALID_FORM_BODY", message: "Invalid Form Body" })).not.toEqual([]);
    expect(
      validate(spec, schema, { code: 50035, message: "x", errors: { name: { _errors: [{ code: 1, message: "x" }] } } }),
    ).not.toEqual([]);
  });
});
