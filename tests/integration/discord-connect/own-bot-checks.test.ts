// PUT /api/orgs/[slug]/bot/credentials checks the bot token with Discord: at most 5 checks per organization per 10
// minutes (counted from audit rows, so it holds across instances), 429 rate_limited with Retry-After before any call;
// and whether the switch is allowed is decided inside the writing transaction, after the (slow) check.
import { expect, it } from "vitest";
import { PUT as putCredentials } from "@/app/api/orgs/[slug]/bot/credentials/route";
import { CREDENTIAL_CHECK_ACTION, CREDENTIAL_CHECK_WINDOW_MS } from "@/lib/bot-connection/credential-check-limit";
import { db } from "@/lib/db";
import { useDiscordFake } from "~tests/fakes/discord";
import { createOrgWithMember, dashboardRequest, paramsOf } from "~tests/helpers/auth";

const discord = useDiscordFake();

function putFake(slug: string, cookie: string, n: number) {
  const body = {
    applicationId: discord.world.tenantApplication.id,
    clientSecret: "s".repeat(32),
    botToken: `fake${n}`.padEnd(40, "x"),
  };
  return putCredentials(
    dashboardRequest("PUT", `/api/orgs/${slug}/bot/credentials`, { cookie, body }),
    paramsOf({ slug }),
  );
}

it("the sixth check within 10 minutes is 429 rate_limited with Retry-After, without calling Discord; other organizations are not affected", async () => {
  const { organization, cookie } = await createOrgWithMember("OWNER");
  for (let n = 0; n < 5; n++) {
    const response = await putFake(organization.slug, cookie, n);
    expect((await response.json()).error.code).toBe("invalid_bot_token");
  }
  expect(discord.countRequests("GET /users/@me")).toBe(5);

  const limited = await putFake(organization.slug, cookie, 6);
  expect(limited.status).toBe(429);
  expect((await limited.json()).error.code).toBe("rate_limited");
  const retryAfter = Number(limited.headers.get("retry-after"));
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(CREDENTIAL_CHECK_WINDOW_MS / 1000);
  expect(discord.countRequests("GET /users/@me")).toBe(5);

  const other = await createOrgWithMember("OWNER");
  expect((await (await putFake(other.organization.slug, other.cookie, 7)).json()).error.code).toBe("invalid_bot_token");
  expect(discord.countRequests("GET /users/@me")).toBe(6);
});

it("checks older than the window no longer count", async () => {
  const { organization, cookie } = await createOrgWithMember("OWNER");
  for (let n = 0; n < 5; n++) await putFake(organization.slug, cookie, n);
  expect((await putFake(organization.slug, cookie, 5)).status).toBe(429);
  await db.auditEvent.updateMany({
    where: { organizationId: organization.id, action: CREDENTIAL_CHECK_ACTION },
    data: { createdAt: new Date(Date.now() - CREDENTIAL_CHECK_WINDOW_MS - 1000) },
  });
  expect((await (await putFake(organization.slug, cookie, 6)).json()).error.code).toBe("invalid_bot_token");
});

it("holds under concurrency: of 10 parallel checks, 5 reach the token check and 5 are refused", async () => {
  const { organization, cookie } = await createOrgWithMember("OWNER");
  const responses = await Promise.all(Array.from({ length: 10 }, (_, n) => putFake(organization.slug, cookie, n)));
  const codes = await Promise.all(responses.map(async (r) => (await r.json()).error.code));
  expect(codes.filter((c) => c === "rate_limited")).toHaveLength(5);
  expect(codes.filter((c) => c === "invalid_bot_token")).toHaveLength(5);
  expect(discord.countRequests("GET /users/@me")).toBeLessThanOrEqual(5);
  expect(
    await db.auditEvent.count({ where: { organizationId: organization.id, action: CREDENTIAL_CHECK_ACTION } }),
  ).toBe(5);
});

it("a bot connected while the token was being checked wins: switching applications is refused inside the transaction", async () => {
  const { organization, cookie } = await createOrgWithMember("OWNER");
  const app = discord.world.tenantApplication;
  discord.injectFault({ route: "GET /users/@me", delayMs: 800 });
  const pending = putCredentials(
    dashboardRequest("PUT", `/api/orgs/${organization.slug}/bot/credentials`, {
      cookie,
      body: { applicationId: app.id, clientSecret: app.secret, botToken: app.botToken },
    }),
    paramsOf({ slug: organization.slug }),
  );
  await new Promise((r) => setTimeout(r, 300));
  // Meanwhile the platform bot finished connecting to a guild.
  await db.discordConnection.create({
    data: { organizationId: organization.id, guildId: discord.world.guild.id, guildName: "Guild", state: "CONNECTED" },
  });
  const response = await pending;
  expect(response.status).toBe(409);
  expect((await response.json()).error.code).toBe("disconnect_first");
  expect((await db.organization.findUniqueOrThrow({ where: { id: organization.id } })).botApplicationId).toBeNull();
  expect(await db.vaultSecret.count()).toBe(0);
});
