import { expect, it } from "vitest";
import { PUT as putCredentials, DELETE as deleteCredentials } from "@/app/api/orgs/[slug]/bot/credentials/route";
import { GET as health } from "@/app/api/orgs/[slug]/bot/health/route";
import { DELETE as disconnect } from "@/app/api/orgs/[slug]/bot/route";
import { db } from "@/lib/db";
import { getGuildBotToken } from "@/lib/discord/token-resolver";
import { PERMISSIONS, useDiscordFake } from "~tests/fakes/discord";
import { createOrgWithMember, dashboardRequest, paramsOf } from "~tests/helpers/auth";
import { connectBot, startConnect } from "~tests/helpers/bot-connect";

const discord = useDiscordFake();

const put = (slug: string, cookie: string, body: unknown) =>
  putCredentials(dashboardRequest("PUT", `/api/orgs/${slug}/bot/credentials`, { cookie, body }), paramsOf({ slug }));
/** "Check again": asks Discord now (fresh=1) instead of the answer kept for 30 s. */
const healthOf = async (slug: string, cookie: string, fresh = true) => {
  const response = await health(
    dashboardRequest("GET", `/api/orgs/${slug}/bot/health${fresh ? "?fresh=1" : ""}`, { cookie }),
    paramsOf({ slug }),
  );
  expect(response.status).toBe(200);
  return (await response.json()).health;
};

it("bring your own bot: the token is checked with Discord, stored encrypted, used for connect, and removable", async () => {
  const { organization, cookie } = await createOrgWithMember("OWNER");
  const app = discord.world.tenantApplication;
  const input = { applicationId: app.id, clientSecret: app.secret, botToken: app.botToken };

  const wrongToken = await put(organization.slug, cookie, { ...input, botToken: "x".repeat(40) });
  expect(wrongToken.status).toBe(400);
  expect((await wrongToken.json()).error.code).toBe("invalid_bot_token");
  const otherApp = await put(organization.slug, cookie, { ...input, botToken: discord.world.platform.botToken });
  expect((await otherApp.json()).error.code).toBe("bot_application_mismatch");
  expect(await db.vaultSecret.count()).toBe(0);

  const ok = await put(organization.slug, cookie, input);
  expect(ok.status).toBe(200);
  const body = await ok.text();
  expect(body).not.toContain(app.botToken);
  expect(body).not.toContain(app.secret);
  const stored = JSON.stringify(await db.vaultSecret.findMany());
  expect(stored).not.toContain(app.botToken);
  expect(stored).not.toContain(app.secret);
  expect((await db.organization.findUniqueOrThrow({ where: { id: organization.id } })).botApplicationId).toBe(app.id);

  // Connect now names the organization's application, exchanges the code with its secret, and its bot makes the role.
  const { authorize } = await startConnect(organization.slug, cookie);
  expect(authorize.searchParams.get("client_id")).toBe(app.id);
  expect(await connectBot(discord, organization.slug, cookie, { clientId: app.id })).toContain("success=bot_connected");
  const [roleCall] = discord.requests("POST /guilds/{guild_id}/roles");
  expect(roleCall!.headers.authorization).toBe(`Bot ${app.botToken}`);
  expect((await getGuildBotToken(discord.world.otherGuild.id)).token).toBe(app.botToken);

  // Rotating the token of the same application is allowed while connected and reaches the resolver at once.
  app.botToken = "MTIwMDAwMDAwMDAwMDAwMDAxMA.rotated.fake-bot-token-9876543210";
  expect((await put(organization.slug, cookie, { ...input, botToken: app.botToken })).status).toBe(200);
  expect((await getGuildBotToken(discord.world.otherGuild.id)).token).toBe(app.botToken);

  // Switching back to the platform bot while connected would orphan the bot in the guild.
  const remove = () =>
    deleteCredentials(
      dashboardRequest("DELETE", `/api/orgs/${organization.slug}/bot/credentials`, { cookie }),
      paramsOf({ slug: organization.slug }),
    );
  expect((await (await remove()).json()).error.code).toBe("disconnect_first");
  await disconnect(
    dashboardRequest("DELETE", `/api/orgs/${organization.slug}/bot`, { cookie }),
    paramsOf({ slug: organization.slug }),
  );
  expect((await remove()).status).toBe(200);
  expect(await db.vaultSecret.count({ where: { provider: "DISCORD_BOT" } })).toBe(0);
  expect((await db.organization.findUniqueOrThrow({ where: { id: organization.id } })).botApplicationId).toBeNull();
  const actions = (await db.auditEvent.findMany({ where: { action: { startsWith: "bot.credentials" } } })).map(
    (e) => e.action,
  );
  expect(actions.sort()).toEqual(["bot.credentials_removed", "bot.credentials_set", "bot.credentials_set"]);
});

it("guild health: healthy, then each problem with its fix, and unknown while Discord is down", async () => {
  const { organization, cookie } = await createOrgWithMember("ADMIN");
  expect(await healthOf(organization.slug, cookie)).toEqual({ status: "not_connected" });
  expect(await connectBot(discord, organization.slug, cookie, { guildId: discord.world.guild.id })).toContain(
    "success",
  );

  const healthy = await healthOf(organization.slug, cookie);
  expect(healthy.status).toBe("healthy");
  expect(healthy.checks.map((c: { id: string; ok: boolean }) => [c.id, c.ok])).toEqual([
    ["bot_token", true],
    ["bot_in_guild", true],
    ["manage_roles", true],
    ["approved_role", true],
    ["role_hierarchy", true],
    ["role_rules", true],
  ]);

  const { bot, approved } = discord.world.roles;
  approved.position = bot.position + 5;
  const below = await healthOf(organization.slug, cookie);
  expect(below.status).toBe("problems");
  const hierarchy = below.checks.find((c: { id: string }) => c.id === "role_hierarchy");
  expect(hierarchy).toMatchObject({ ok: false });
  expect(hierarchy.fix).toContain(`drag “${bot.name}” above “Approved”`);

  bot.permissions = PERMISSIONS.VIEW_CHANNEL;
  expect(
    (await healthOf(organization.slug, cookie)).checks.find((c: { id: string }) => c.id === "manage_roles"),
  ).toMatchObject({
    ok: false,
    fix: expect.stringContaining("Manage Roles"),
  });

  discord.injectFault({ route: "GET /users/@me", status: 500, times: 5 });
  expect(await healthOf(organization.slug, cookie)).toMatchObject({ status: "unknown" });
  discord.faults.clear();

  discord.model.removeMember(discord.world.guild.id, discord.world.platform.botUserId);
  const gone = await healthOf(organization.slug, cookie);
  expect(gone.checks.at(-1)).toMatchObject({
    id: "bot_in_guild",
    ok: false,
    fix: expect.stringContaining("Connect bot"),
  });
});
