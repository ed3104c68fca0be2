// Health, the role picker and disconnect get the bot token from the token resolver: a suspended organization and a
// tenant token Discord already refused make no Discord call (even after a restart empties the caches), and
// disconnect still succeeds locally, with why the bot could not leave recorded.
import { expect, it } from "vitest";
import { PUT as putCredentials } from "@/app/api/orgs/[slug]/bot/credentials/route";
import { GET as health } from "@/app/api/orgs/[slug]/bot/health/route";
import { GET as roles } from "@/app/api/orgs/[slug]/bot/roles/route";
import { DELETE as disconnect } from "@/app/api/orgs/[slug]/bot/route";
import { db } from "@/lib/db";
import { invalidateOrganizationTokens } from "@/lib/discord/token-resolver";
import { useDiscordFake } from "~tests/fakes/discord";
import { createOrgWithMember, dashboardRequest, paramsOf } from "~tests/helpers/auth";
import { connectBot } from "~tests/helpers/bot-connect";

const discord = useDiscordFake();

async function callAll(slug: string, cookie: string) {
  const req = (method: string, path: string) => dashboardRequest(method, `/api/orgs/${slug}${path}`, { cookie });
  const healthResponse = await health(req("GET", "/bot/health"), paramsOf({ slug }));
  const rolesResponse = await roles(req("GET", "/bot/roles"), paramsOf({ slug }));
  const disconnectResponse = await disconnect(req("DELETE", "/bot"), paramsOf({ slug }));
  return {
    health: ((await healthResponse.json()) as { health: unknown }).health,
    roles: {
      status: rolesResponse.status,
      code: ((await rolesResponse.json()) as { error?: { code: string } }).error?.code,
    },
    disconnect: disconnectResponse.status,
  };
}

async function disconnectAudit(organizationId: string) {
  const event = await db.auditEvent.findFirstOrThrow({ where: { organizationId, action: "bot.disconnect" } });
  return event.metadata;
}

it("a suspended organization: no Discord call; health says so, roles 409 organization_suspended, disconnect succeeds locally", async () => {
  const { organization, cookie } = await createOrgWithMember("OWNER");
  expect(await connectBot(discord, organization.slug, cookie, { guildId: discord.world.guild.id })).toContain(
    "success",
  );
  await db.organization.update({ where: { id: organization.id }, data: { status: "SUSPENDED" } });
  await invalidateOrganizationTokens(organization.id);
  discord.clearRequests();

  const result = await callAll(organization.slug, cookie);
  expect(result.health).toMatchObject({ status: "unknown", message: expect.stringContaining("suspended") });
  expect(result.roles).toEqual({ status: 409, code: "organization_suspended" });
  expect(result.disconnect).toBeLessThan(300);
  expect(discord.countRequests()).toBe(0);
  expect(await disconnectAudit(organization.id)).toEqual({ leftGuild: false, leaveError: "organization_suspended" });
  expect((await db.discordConnection.findUniqueOrThrow({ where: { organizationId: organization.id } })).state).toBe(
    "DISCONNECTED",
  );
});

it("an own bot token marked INVALID is not sent again after a restart: health shows the token problem, roles 409, disconnect local", async () => {
  const { organization, cookie } = await createOrgWithMember("OWNER");
  const app = discord.world.tenantApplication;
  const slug = organization.slug;
  const put = await putCredentials(
    dashboardRequest("PUT", `/api/orgs/${slug}/bot/credentials`, {
      cookie,
      body: { applicationId: app.id, clientSecret: app.secret, botToken: app.botToken },
    }),
    paramsOf({ slug }),
  );
  expect(put.status).toBe(200);
  expect(await connectBot(discord, slug, cookie, { clientId: app.id })).toContain("success");
  // Discord answered 401 once; then the process restarted (empty caches).
  await db.vaultSecret.updateMany({
    where: { organizationId: organization.id, tokenType: "BOT_TOKEN" },
    data: { validity: "INVALID" },
  });
  await invalidateOrganizationTokens(organization.id);
  discord.clearRequests();

  const result = await callAll(slug, cookie);
  expect(result.health).toMatchObject({ status: "problems", checks: [{ id: "bot_token", ok: false }] });
  expect(result.roles).toEqual({ status: 409, code: "bot_token_invalid" });
  expect(result.disconnect).toBeLessThan(300);
  expect(discord.countRequests()).toBe(0);
  expect(await disconnectAudit(organization.id)).toEqual({ leftGuild: false, leaveError: "bot_token_invalid" });
});

it("a healthy connection still reaches Discord through the resolver and the bot leaves on disconnect", async () => {
  const { organization, cookie } = await createOrgWithMember("OWNER");
  expect(await connectBot(discord, organization.slug, cookie, { guildId: discord.world.guild.id })).toContain(
    "success",
  );
  discord.clearRequests();
  const result = await callAll(organization.slug, cookie);
  expect(result.health).toMatchObject({ status: "healthy" });
  expect(result.roles.status).toBe(200);
  expect(discord.countRequests("DELETE /users/@me/guilds/{guild_id}")).toBe(1);
  expect(await disconnectAudit(organization.id)).toEqual({ leftGuild: true });
});
