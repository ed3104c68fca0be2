// The scheduled OAuth refresh runs on the job runner: the production worker (startWorker) serves the task and its
// crontab line fires every 10 minutes; a run renews the grants about to expire through the Discord fake.
import { parseCrontab } from "graphile-worker";
import { expect, it } from "vitest";
import { getAccessToken, storeToken } from "@/lib/crypto/token-vault";
import { db } from "@/lib/db";
import { OAUTH_REFRESH_CRONTAB, OAUTH_REFRESH_TASK, createOAuthRefreshTasks } from "@/lib/discord/oauth-refresh-task";
import { addJob } from "@/lib/jobs/add-job";
import { WORKER_CRONTAB, startWorker } from "@/worker/start-worker";
import { seedConnectedGuild } from "~tests/helpers/discord";
import { useDiscordFake } from "~tests/fakes/discord";

const discord = useDiscordFake();
const OAUTH = { provider: "DISCORD_OAUTH" } as const;

async function seedExpiringGrant() {
  const { organization } = await seedConnectedGuild({ guildId: discord.world.guild.id });
  const grant = discord.model.issueToken({
    applicationId: discord.world.platform.id,
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
  return { organizationId: organization.id, accessToken: grant.accessToken };
}

it("the crontab line fires the refresh task every 10 minutes", () => {
  const [item, ...rest] = parseCrontab(OAUTH_REFRESH_CRONTAB);
  expect(rest).toHaveLength(0);
  expect(item!.task).toBe(OAUTH_REFRESH_TASK);
  const fires = Array.from({ length: 60 }, (_, min) => min).filter((min) =>
    item!.match({ min, hour: 3, date: 1, month: 1, dow: 1 }),
  );
  expect(fires).toEqual([0, 10, 20, 30, 40, 50]);
  // The production worker's crontab carries it (beside the sweeper).
  expect(parseCrontab(WORKER_CRONTAB).map((i) => i.task)).toContain(OAUTH_REFRESH_TASK);
});

it("the task calls the token service's scheduled refresh", async () => {
  const { organizationId, accessToken } = await seedExpiringGrant();
  const task = createOAuthRefreshTasks()[OAUTH_REFRESH_TASK]!;
  const logs: string[] = [];
  await task({}, { logger: { info: (message: string) => logs.push(message) } } as never);
  expect(discord.countRequests("POST /oauth2/token")).toBe(1);
  expect((await getAccessToken({ organizationId, ...OAUTH }))?.token.value).not.toBe(accessToken);
  expect(logs).toEqual(["refreshed 1 Discord OAuth grant(s), 0 failed"]);
});

it("the production worker serves the task", async () => {
  const { organizationId, accessToken } = await seedExpiringGrant();
  const runner = await startWorker({ concurrency: 1 });
  try {
    await addJob({ tx: db, identifier: OAUTH_REFRESH_TASK, payload: {} });
    await expect
      .poll(async () => (await getAccessToken({ organizationId, ...OAUTH }))?.token.value, {
        timeout: 10_000,
        interval: 100,
      })
      .not.toBe(accessToken);
  } finally {
    await runner.stop();
  }
});
