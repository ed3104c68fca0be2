// Ticket 6: concurrency control of bot connections.
import { expect, it } from "vitest";
import { completeBotConnect } from "@/lib/bot-connection/complete-connect";
import { db } from "@/lib/db";
import { useDiscordFake } from "~tests/fakes/discord";
import { createOrgWithMember } from "~tests/helpers/auth";
import { authorizeBot, callback, connectBot, startConnect } from "~tests/helpers/bot-connect";

const discord = useDiscordFake();

it("ten concurrent callbacks for one organization: one connection row, one role created, nine connection_in_progress", async () => {
  const { organization, cookie } = await createOrgWithMember("OWNER");
  const attempts = await Promise.all(
    Array.from({ length: 10 }, async () => ({
      state: (await startConnect(organization.slug, cookie)).state,
      code: authorizeBot(discord),
    })),
  );
  // The winner's code exchange is slow, so every other callback arrives while it holds the lock.
  discord.injectFault({ route: "POST /oauth2/token", delayMs: 600 });
  const locations = await Promise.all(attempts.map((a) => callback(a, cookie)));

  const settings = `/dashboard/${organization.slug}/settings`;
  expect(locations.filter((l) => l === `${settings}?success=bot_connected`)).toHaveLength(1);
  expect(locations.filter((l) => l === `${settings}?error=connection_in_progress`)).toHaveLength(9);
  expect(await db.discordConnection.count()).toBe(1);
  expect(discord.countRequests("POST /oauth2/token")).toBe(1);
  expect(discord.countRequests("POST /guilds/{guild_id}/roles")).toBe(1);
  expect([...discord.world.otherGuild.roles.values()].filter((r) => r.name === "Approved")).toHaveLength(1);
});

it("takes over a CONNECTING row left by a callback that died more than two minutes ago", async () => {
  const { organization, cookie } = await createOrgWithMember("OWNER");
  await db.discordConnection.create({
    data: {
      organizationId: organization.id,
      state: "CONNECTING",
      lockToken: "dead-callback",
      stateUpdatedAt: new Date(Date.now() - 3 * 60_000),
    },
  });
  expect(await connectBot(discord, organization.slug, cookie)).toContain("success=bot_connected");

  // A fresh CONNECTING row is respected.
  const other = await createOrgWithMember("OWNER");
  await db.discordConnection.create({
    data: { organizationId: other.organization.id, state: "CONNECTING", lockToken: "alive" },
  });
  expect(
    await connectBot(discord, other.organization.slug, other.cookie, { guildId: discord.world.guild.id }),
  ).toContain("error=connection_in_progress");
});

it("a Discord 500 during the callback leaves ERROR with the lock released, and an immediate retry succeeds", async () => {
  const { organization, cookie } = await createOrgWithMember("OWNER");
  // Role creation fails on every attempt (the REST client retries 5xx).
  discord.injectFault({ route: "POST /guilds/{guild_id}/roles", status: 500, times: 5 });
  expect(await connectBot(discord, organization.slug, cookie)).toBe(
    `/dashboard/${organization.slug}/settings?error=role_creation_failed`,
  );
  expect(await db.discordConnection.findUniqueOrThrow({ where: { organizationId: organization.id } })).toMatchObject({
    state: "ERROR",
    connectionError: "role_creation_failed",
    lockToken: null,
    guildId: null,
  });
  expect(await db.vaultSecret.count()).toBe(0);
  expect(await db.auditEvent.count({ where: { action: "bot.connect", outcome: "FAILED" } })).toBe(1);

  discord.faults.clear();
  expect(await connectBot(discord, organization.slug, cookie)).toContain("success=bot_connected");
  expect(await db.discordConnection.findUniqueOrThrow({ where: { organizationId: organization.id } })).toMatchObject({
    state: "CONNECTED",
  });
});

it("a failed code exchange is discord_error and releases the lock too", async () => {
  const { organization, cookie } = await createOrgWithMember("OWNER");
  discord.injectFault({ route: "POST /oauth2/token", status: 500 });
  expect(await connectBot(discord, organization.slug, cookie)).toContain("error=discord_error");
  expect(await db.discordConnection.findFirstOrThrow()).toMatchObject({ state: "ERROR", lockToken: null });
  expect(await connectBot(discord, organization.slug, cookie)).toContain("success=bot_connected");
});

it("heartbeat keeps a slow callback's lock alive; without it the lock goes stale and the slow callback loses", async () => {
  const { organization, user, cookie } = await createOrgWithMember("OWNER");
  const attempt = async () => ({
    query: new URLSearchParams({
      state: (await startConnect(organization.slug, cookie)).state,
      code: authorizeBot(discord),
    }),
    userId: user.id,
  });
  const [slow, late] = await Promise.all([attempt(), attempt()]);
  discord.injectFault({ route: "GET /guilds/{guild_id}/roles", delayMs: 1_200 });
  const slowRun = completeBotConnect({ ...slow, staleAfterMs: 500, heartbeatMs: 100 });
  await new Promise((r) => setTimeout(r, 800));
  const lateResult = await completeBotConnect({ ...late, staleAfterMs: 500, heartbeatMs: 100 });
  expect(lateResult).toMatchObject({ ok: false, error: "connection_in_progress" });
  expect(await slowRun).toMatchObject({ ok: true });

  // Control: the same timing with heartbeats too rare to matter.
  const other = await createOrgWithMember("OWNER");
  const attemptOther = async () => ({
    query: new URLSearchParams({
      state: (await startConnect(other.organization.slug, other.cookie)).state,
      code: authorizeBot(discord, { guildId: discord.world.guild.id }),
    }),
    userId: other.user.id,
  });
  const [slow2, late2] = await Promise.all([attemptOther(), attemptOther()]);
  discord.injectFault({ route: "GET /guilds/{guild_id}/roles", delayMs: 1_200 });
  const slowRun2 = completeBotConnect({ ...slow2, staleAfterMs: 500, heartbeatMs: 60_000 });
  await new Promise((r) => setTimeout(r, 800));
  expect(await completeBotConnect({ ...late2, staleAfterMs: 500, heartbeatMs: 60_000 })).toMatchObject({ ok: true });
  expect(await slowRun2).toMatchObject({ ok: false, error: "save_failed" });
  expect(
    await db.discordConnection.findUniqueOrThrow({ where: { organizationId: other.organization.id } }),
  ).toMatchObject({
    state: "CONNECTED",
    guildId: discord.world.guild.id,
  });
});
