// Role assignment under Discord's limits (issue 10 item 1): the per-guild member-role limit is planned ahead, and a
// rate-limit wait is never an attempt. Real runner, real database, the Discord fake with the sandbox's limits.
import type { Runner } from "graphile-worker";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { updateApplicationStatus } from "@/lib/applications/decisions/review";
import { db } from "@/lib/db";
import { resetDiscordClients } from "@/lib/discord/client";
import { env } from "@/lib/env";
import { useDiscordFake, WORLD_IDS } from "~tests/fakes/discord";
import { DISCORD_LIKE_LIMITS } from "~tests/fakes/discord/limits";
import {
  createApplication,
  createOrgWithGuild,
  createReviewer,
  newSnowflake,
  waitFor,
} from "~tests/helpers/applications";
import { startTestRunner, type TestRunnerOptions } from "~tests/helpers/job-runner";

const discord = useDiscordFake();
const PUT = "PUT /guilds/{guild_id}/members/{user_id}/roles/{role_id}";

let runner: Runner | undefined;
// Each test starts with clients that know no bucket yet (their rate-limit state lives per token and process).
beforeEach(() => resetDiscordClients());
afterEach(async () => {
  await runner?.stop();
  runner = undefined;
});

/** Production timings: a 10 s deadline (so the client holds waits up to 5 s) and the 10 per 10 s plan. */
async function start(settings: TestRunnerOptions["settings"] = {}) {
  runner = await startTestRunner({ settings: { timeoutMs: 10_000, ...settings } });
}

/** A guild in the fake with the platform bot able to give its Approved role, and an organization connected to it. */
async function guildWithApplicants(count: number, options: { guildId?: string; approvedRoleId?: string } = {}) {
  let guildId = options.guildId;
  let approvedRoleId = options.approvedRoleId;
  if (!guildId) {
    const guild = discord.model.addGuild({ name: "Busy guild", ownerId: WORLD_IDS.admin });
    guildId = guild.id;
    approvedRoleId = discord.model.addRole(guild.id, { name: "Approved", position: 1 }).id;
    discord.model.addBotToGuild(guild.id, env.DISCORD_CLIENT_ID!);
  }
  const { organization } = await createOrgWithGuild({ guildId, approvedRoleId });
  // Timings of role calls only: the approval DMs (their own jobs, tested in tests/integration/applicants/) would
  // share the runner's slots and the bot's global limit with them.
  await db.applicantSettings.create({ data: { organizationId: organization.id, dmOnApprove: false } });
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const user = discord.model.addUser({ id: newSnowflake(), username: `applicant_${guildId.slice(-4)}_${i}` });
    discord.model.addMember(guildId, user.id);
    ids.push((await createApplication({ organizationId: organization.id, applicantDiscordId: user.id })).id);
  }
  return { organization, guildId, ids };
}

async function approveAll(guilds: { organization: { id: string }; ids: string[] }[]) {
  const reviewer = await createReviewer();
  for (const g of guilds) {
    for (const id of g.ids)
      await updateApplicationStatus({
        applicationId: id,
        organizationId: g.organization.id,
        status: "APPROVED",
        reviewerId: reviewer.id,
      });
  }
}

const pendingCount = () => db.application.count({ where: { status: "APPROVED_PENDING_ROLE" } });

describe("role assignment under Discord's rate limits", () => {
  it("60 approvals over 4 guilds under the sandbox's limits: all assigned with one attempt each, no 429 but the injected ones", async () => {
    discord.configureRateLimits(DISCORD_LIKE_LIMITS);
    const guilds = [
      await guildWithApplicants(15, { guildId: WORLD_IDS.guild, approvedRoleId: WORLD_IDS.approvedRole }),
    ];
    for (let i = 0; i < 3; i++) guilds.push(await guildWithApplicants(15));
    await approveAll(guilds);
    // Two 429s the sandbox injects (Retry-After 2 s): waited for, not counted.
    discord.injectFault({ route: PUT, status: 429, retryAfter: 2, times: 2 });

    await start();
    await waitFor(pendingCount, (n) => n === 0, 60_000);

    expect(await db.application.count({ where: { status: "APPROVED_ROLE_FAILED" } })).toBe(0);
    expect(await db.application.count({ where: { status: "APPROVED_ROLE_ASSIGNED", attemptCount: 1 } })).toBe(60);
    const puts = discord.requests(PUT);
    expect(puts.filter((p) => p.status === 204)).toHaveLength(60);
    expect(puts.filter((p) => p.status === 429)).toHaveLength(2);
    // The plan's windows are fixed, like Discord's buckets (10 calls, then a window 10.5 s after the last one
    // opened): a call late in one window and one early in the next may be a little closer than 10 s apart. The
    // Discord-like sandbox refusing none of them (only the 2 injected 429s above) is the real check; this one
    // bounds the sliding rate.
    for (const g of guilds) {
      const times = puts
        .filter((p) => p.params.guild_id === g.guildId && p.status === 204)
        .map((p) => p.at)
        .sort((a, b) => a - b);
      for (let i = 10; i < times.length; i++) expect(times[i]! - times[i - 10]!).toBeGreaterThanOrEqual(9_000);
    }
  }, 90_000);

  it("a 429 longer than the client holds (Retry-After 6 s) is a wait: assigned after it, with no attempt or manual retry spent", async () => {
    const { organization, ids } = await guildWithApplicants(1, {
      guildId: WORLD_IDS.guild,
      approvedRoleId: WORLD_IDS.approvedRole,
    });
    discord.injectFault({ route: PUT, status: 429, retryAfter: 6 });
    // One automatic attempt: had the wait counted as one, the assignment would fail.
    await start({ maxAttempts: 1 });
    const started = Date.now();
    await approveAll([{ organization, ids }]);

    const done = await waitFor(
      () => db.application.findUniqueOrThrow({ where: { id: ids[0]! } }),
      (a) => a.status !== "APPROVED_PENDING_ROLE",
      30_000,
    );
    expect(done).toMatchObject({ status: "APPROVED_ROLE_ASSIGNED", attemptCount: 1, retryCount: 0 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(6_000);
    expect(discord.requests(PUT).map((p) => p.status)).toEqual([429, 204]);
  }, 60_000);

  it("a guild whose bot may not give the role: every application ends missing_permissions after one attempt, none 'retry later'", async () => {
    discord.configureRateLimits(DISCORD_LIKE_LIMITS);
    // The Staff role sits above the bot's role: Discord answers 50013 (its Manage Server cleared, else the job
    // refuses it first as role_dangerous).
    discord.world.roles.staff.permissions = 0n;
    const guild = await guildWithApplicants(15, { guildId: WORLD_IDS.guild, approvedRoleId: WORLD_IDS.staffRole });
    await approveAll([guild]);
    await start();
    await waitFor(pendingCount, (n) => n === 0, 60_000);

    const failed = await db.application.findMany({ where: { id: { in: guild.ids } } });
    expect(failed.map((a) => [a.status, a.roleErrorCode, a.attemptCount])).toEqual(
      guild.ids.map(() => ["APPROVED_ROLE_FAILED", "missing_permissions", 1]),
    );
    const statuses = discord.requests(PUT).map((p) => p.status);
    expect(statuses.filter((s) => s === 403)).toHaveLength(15);
    expect(statuses.filter((s) => s === 429)).toHaveLength(0);
  }, 90_000);
});
