// Tickets 1 (signed state), 2 (authorization before anything happens), 5 (one row per organization and guild).
import { SignJWT } from "jose";
import { expect, it, vi } from "vitest";
import { DELETE as disconnect } from "@/app/api/orgs/[slug]/bot/route";
import { db } from "@/lib/db";
import { signStateToken } from "@/lib/security/state-token";
import { useDiscordFake } from "~tests/fakes/discord";
import {
  addMember,
  createOrgWithMember,
  createTestOrganization,
  dashboardRequest,
  paramsOf,
} from "~tests/helpers/auth";
import { authorizeBot, callback, connectBot, startConnect } from "~tests/helpers/bot-connect";

const discord = useDiscordFake();

async function expectNothingHappened() {
  expect(await db.discordConnection.count()).toBe(0);
  expect(await db.vaultSecret.count()).toBe(0);
  expect(discord.countRequests()).toBe(0);
}

it("connects: the authorize URL asks for bot + identify with Manage Roles, View Channels, Send Messages, Embed Links, Read Message History and Create Invite; the callback saves the guild Discord reports, creates the approved role once and stores the OAuth tokens encrypted", async () => {
  const { organization, cookie } = await createOrgWithMember("ADMIN");
  const { authorize, state } = await startConnect(organization.slug, cookie);
  expect(Object.fromEntries(authorize.searchParams)).toMatchObject({
    client_id: discord.world.platform.id,
    response_type: "code",
    scope: "bot identify",
    // Manage Roles (approvals); View Channel, Send Messages, Embed Links (the review channel); Read Message History
    // (a late retry finds the message it sent); Create Invite (the bot's invite for approved applicants).
    permissions: String((1 << 28) + (1 << 10) + (1 << 11) + (1 << 14) + (1 << 16) + (1 << 0)),
    redirect_uri: "http://localhost:3000/api/discord/bot-callback",
  });

  // guild_id in the query is only a hint and points elsewhere: the token response's guild wins.
  const location = await callback({ code: authorizeBot(discord), state, guild_id: discord.world.guild.id }, cookie);
  expect(location).toBe(`/dashboard/${organization.slug}/settings?success=bot_connected`);

  const created = discord.requests("POST /guilds/{guild_id}/roles");
  expect(created).toHaveLength(1);
  const role = [...discord.world.otherGuild.roles.values()].find((r) => r.name === "Approved")!;
  const connection = await db.discordConnection.findUniqueOrThrow({ where: { organizationId: organization.id } });
  expect(connection).toMatchObject({
    state: "CONNECTED",
    guildId: discord.world.otherGuild.id,
    guildName: "Second Guild",
    approvedRoleId: role.id,
    approvedRoleName: "Approved",
    lockToken: null,
    connectionError: null,
  });
  const secrets = await db.vaultSecret.findMany({ orderBy: { tokenType: "asc" } });
  expect(secrets.map((s) => [s.provider, s.tokenType])).toEqual([
    ["DISCORD_OAUTH", "ACCESS_TOKEN"],
    ["DISCORD_OAUTH", "REFRESH_TOKEN"],
  ]);
  const issued = [...discord.model.accessTokens.keys()];
  const everything = JSON.stringify(
    await Promise.all([db.vaultSecret.findMany(), db.auditEvent.findMany(), db.discordConnection.findMany()]),
  );
  for (const token of issued) expect(everything).not.toContain(token);
  expect(await db.auditEvent.count({ where: { action: "bot.connect", outcome: "SUCCESS" } })).toBe(1);
});

it("finds an existing approved role instead of creating a second one", async () => {
  const { organization, cookie } = await createOrgWithMember("OWNER");
  const location = await connectBot(discord, organization.slug, cookie, { guildId: discord.world.guild.id });
  expect(location).toContain("success=bot_connected");
  expect(discord.countRequests("POST /guilds/{guild_id}/roles")).toBe(0);
  expect((await db.discordConnection.findFirstOrThrow()).approvedRoleId).toBe(discord.world.roles.approved.id);
});

it("ticket 1: tampered org id, one changed signature character, a 6-minute-old state, an unsigned base64 state and a replay are invalid_state", async () => {
  const { organization, cookie } = await createOrgWithMember("OWNER");
  const victim = await createTestOrganization();
  const code = authorizeBot(discord);
  const { state } = await startConnect(organization.slug, cookie);
  discord.clearRequests();

  const [header, payload, signature] = state.split(".") as [string, string, string];
  const claims = JSON.parse(Buffer.from(payload, "base64url").toString());
  const tampered = [
    header,
    Buffer.from(JSON.stringify({ ...claims, org: victim.id })).toString("base64url"),
    signature,
  ].join(".");
  const i = 10;
  const flipped = signature.slice(0, i) + (signature[i] === "A" ? "B" : "A") + signature.slice(i + 1);
  const unsigned = Buffer.from(JSON.stringify({ org_id: organization.id })).toString("base64");
  const noneAlg = `${Buffer.from('{"alg":"none"}').toString("base64url")}.${payload}.`;

  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(Date.now() - 6 * 60 * 1000);
  const old = await signStateToken({ purpose: "bot-connect", organizationId: organization.id, userId: claims.uid });
  vi.useRealTimers();
  // Right secret, right claims, wrong purpose: a login state cannot connect a bot.
  const login = await signStateToken({ purpose: "login", organizationId: organization.id, userId: claims.uid });
  // Right shape but another key.
  const forged = await new SignJWT({ org: organization.id, uid: claims.uid })
    .setProtectedHeader({ alg: "HS256" })
    .setIssuer("guildgate")
    .setAudience("bot-connect")
    .setIssuedAt()
    .setExpirationTime("5m")
    .setJti("x")
    .sign(new TextEncoder().encode("another-secret-another-secret-another-secret"));

  for (const bad of [tampered, `${header}.${payload}.${flipped}`, old, unsigned, noneAlg, login, forged, ""]) {
    expect(await callback({ code, state: bad }, cookie)).toBe("/dashboard?error=invalid_state");
  }
  await expectNothingHappened();

  expect(await callback({ code, state }, cookie)).toContain("success=bot_connected");
  expect(await callback({ code: authorizeBot(discord), state }, cookie)).toBe("/dashboard?error=invalid_state");
});

it("ticket 2: no session, another organization's state, a REVIEWER and a deleted organization are refused before any write or Discord call", async () => {
  const a = await createOrgWithMember("OWNER");
  const b = await createTestOrganization();
  const code = authorizeBot(discord);

  const { state } = await startConnect(a.organization.slug, a.cookie);
  expect(await callback({ code, state })).toBe("/dashboard?error=unauthorized");

  const forB = await signStateToken({ purpose: "bot-connect", organizationId: b.id, userId: a.user.id });
  expect(await callback({ code, state: forB }, a.cookie)).toBe("/dashboard?error=forbidden");

  const reviewer = await createOrgWithMember("REVIEWER");
  const reviewerState = await signStateToken({
    purpose: "bot-connect",
    organizationId: reviewer.organization.id,
    userId: reviewer.user.id,
  });
  expect(await callback({ code, state: reviewerState }, reviewer.cookie)).toBe("/dashboard?error=forbidden");

  const doomed = await createOrgWithMember("OWNER");
  const doomedState = (await startConnect(doomed.organization.slug, doomed.cookie)).state;
  await db.organization.delete({ where: { id: doomed.organization.id } });
  expect(await callback({ code, state: doomedState }, doomed.cookie)).toBe("/dashboard?error=forbidden");

  // Another admin's session with a valid state: forbidden, and the state stays usable by its owner.
  const other = await createOrgWithMember("OWNER");
  await addMember({ userId: other.user.id, organizationId: a.organization.id, role: "OWNER" });
  const fresh = await startConnect(a.organization.slug, a.cookie);
  expect(await callback({ code, state: fresh.state }, other.cookie)).toBe("/dashboard?error=forbidden");

  await expectNothingHappened();
  const denials = await db.auditEvent.findMany({ where: { action: "access.denied" } });
  expect(denials.length).toBeGreaterThanOrEqual(2);

  expect(await callback({ code, state: fresh.state }, a.cookie)).toContain("success=bot_connected");
});

it("Discord's access_denied is `cancelled` (after the state and the caller are checked) and writes nothing", async () => {
  const { organization, cookie } = await createOrgWithMember("OWNER");
  const { state } = await startConnect(organization.slug, cookie);
  expect(await callback({ error: "access_denied", state }, cookie)).toBe(
    `/dashboard/${organization.slug}/settings?error=cancelled`,
  );
  expect(await callback({ error: "access_denied", state: "forged" }, cookie)).toBe("/dashboard?error=invalid_state");
  await expectNothingHappened();
});

it("ticket 5: one connection per organization and per guild; a reconnect after disconnect updates the one row", async () => {
  const a = await createOrgWithMember("OWNER");
  expect(await connectBot(discord, a.organization.slug, a.cookie)).toContain("success");
  const first = await db.discordConnection.findFirstOrThrow();

  await expect(db.discordConnection.create({ data: { organizationId: a.organization.id } })).rejects.toMatchObject({
    code: "P2002",
  });
  const b = await createOrgWithMember("OWNER");
  await expect(
    db.discordConnection.create({ data: { organizationId: b.organization.id, guildId: discord.world.otherGuild.id } }),
  ).rejects.toMatchObject({ code: "P2002" });
  // The same guild through the flow: refused with guild_taken, and the other organization's row is untouched.
  expect(await connectBot(discord, b.organization.slug, b.cookie)).toBe(
    `/dashboard/${b.organization.slug}/settings?error=guild_taken`,
  );
  expect(await db.discordConnection.findUniqueOrThrow({ where: { organizationId: b.organization.id } })).toMatchObject({
    state: "ERROR",
    connectionError: "guild_taken",
    guildId: null,
  });

  expect(await connectBot(discord, a.organization.slug, a.cookie)).toContain("error=already_connected");

  const response = await disconnect(
    dashboardRequest("DELETE", `/api/orgs/${a.organization.slug}/bot`, { cookie: a.cookie }),
    paramsOf({ slug: a.organization.slug }),
  );
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ disconnected: true, leftGuild: true });
  expect(discord.world.otherGuild.members.has(discord.world.platform.botUserId)).toBe(false);
  expect(await db.vaultSecret.count({ where: { organizationId: a.organization.id } })).toBe(0);
  expect(await db.discordConnection.findUniqueOrThrow({ where: { organizationId: a.organization.id } })).toMatchObject({
    id: first.id,
    state: "DISCONNECTED",
    guildId: null,
  });

  expect(await connectBot(discord, a.organization.slug, a.cookie, { guildId: discord.world.guild.id })).toContain(
    "success",
  );
  const rows = await db.discordConnection.findMany({ where: { organizationId: a.organization.id } });
  expect(rows).toHaveLength(1);
  expect(rows[0]).toMatchObject({ id: first.id, state: "CONNECTED", guildId: discord.world.guild.id });
  expect(
    (await db.auditEvent.findMany({ where: { organizationId: a.organization.id, action: { startsWith: "bot." } } }))
      .map((e) => e.action)
      .sort(),
  ).toEqual(["bot.connect", "bot.connect", "bot.disconnect"]);
});
