// Crash safety, the sweeper and Discord's member-role rate limit, with real runners and the Discord fake.
import type { Runner } from "graphile-worker";
import { afterEach, describe, expect, it } from "vitest";
import { updateApplicationStatus } from "@/lib/applications/decisions/review";
import { sweepRoleAssignments } from "@/lib/applications/role-jobs/sweeper";
import { db } from "@/lib/db";
import { useDiscordFake, WORLD_IDS } from "~tests/fakes/discord";
import { createApplication, createOrgWithGuild, createReviewer, listJobs, waitFor } from "~tests/helpers/applications";
import { startTestRunner, testRoleSettings } from "~tests/helpers/job-runner";

const discord = useDiscordFake();
const PUT = "PUT /guilds/{guild_id}/members/{user_id}/roles/{role_id}";

const runners: Runner[] = [];
afterEach(async () => {
  for (const r of runners.splice(0)) await r.stop().catch(() => {});
});

async function start(settings = {}) {
  const runner = await startTestRunner({ settings });
  runners.push(runner);
  return runner;
}

const read = (id: string) => () => db.application.findUniqueOrThrow({ where: { id } });

describe("durability", () => {
  it("a worker stopped mid-job (taken, Discord not answered) is finished by the next worker with exactly one successful PUT", async () => {
    const first = await start();
    // The first call hangs and then loses its connection, as a call from a crashed process would.
    discord.injectFault({ route: PUT, delayMs: 1_000, drop: true });
    const { organization } = await createOrgWithGuild({
      guildId: WORLD_IDS.guild,
      approvedRoleId: WORLD_IDS.approvedRole,
    });
    const reviewer = await createReviewer();
    const app = await createApplication({ organizationId: organization.id, applicantDiscordId: WORLD_IDS.applicant });
    await updateApplicationStatus({
      applicationId: app.id,
      organizationId: organization.id,
      status: "APPROVED",
      reviewerId: reviewer.id,
    });

    await waitFor(
      async () => discord.countRequests(PUT),
      (n) => n === 1,
    );
    await first.kill();
    runners.splice(runners.indexOf(first), 1);
    expect((await read(app.id)()).status).toBe("APPROVED_PENDING_ROLE");

    // The sweeper no longer unlocks by lock age (that would free a live runner's running jobs too)...
    await new Promise((r) => setTimeout(r, 1_200));
    expect(await sweepRoleAssignments(testRoleSettings({ staleLockMs: 300 }))).toEqual({
      reenqueued: 0,
      rechecksRestored: 0,
    });
    expect(await db.$queryRaw`SELECT 1 FROM graphile_worker._private_jobs WHERE locked_by IS NOT NULL`).toHaveLength(1);
    // ...the worker registry does: a new runner (registry timings shortened) frees the dead one's lock.
    const second = await startTestRunner({ heartbeatMs: 200, deadAfterMs: 1_000 });
    runners.push(second);
    const done = await waitFor(read(app.id), (a) => a.status !== "APPROVED_PENDING_ROLE", 20_000);
    expect(done.status).toBe("APPROVED_ROLE_ASSIGNED");
    expect(discord.requests(PUT).filter((r) => r.status === 204)).toHaveLength(1);
  });

  it("an approval made while no worker runs is assigned when one starts", async () => {
    const { organization } = await createOrgWithGuild({
      guildId: WORLD_IDS.guild,
      approvedRoleId: WORLD_IDS.approvedRole,
    });
    const reviewer = await createReviewer();
    const app = await createApplication({ organizationId: organization.id, applicantDiscordId: WORLD_IDS.applicant });
    await updateApplicationStatus({
      applicationId: app.id,
      organizationId: organization.id,
      status: "APPROVED",
      reviewerId: reviewer.id,
    });
    await new Promise((r) => setTimeout(r, 300));
    expect((await read(app.id)()).status).toBe("APPROVED_PENDING_ROLE");
    expect(discord.countRequests(PUT)).toBe(0);

    await start();
    expect(await waitFor(read(app.id), (a) => a.status !== "APPROVED_PENDING_ROLE")).toMatchObject({
      status: "APPROVED_ROLE_ASSIGNED",
    });
    expect(discord.countRequests(PUT)).toBe(1);
  });

  it("the sweeper re-enqueues an APPROVED_PENDING_ROLE application that has no live job", async () => {
    const { organization } = await createOrgWithGuild({
      guildId: WORLD_IDS.guild,
      approvedRoleId: WORLD_IDS.approvedRole,
    });
    // As if an older version crashed between commit and enqueue: pending, no job.
    const app = await createApplication({ organizationId: organization.id, applicantDiscordId: WORLD_IDS.applicant });
    await db.application.update({
      where: { id: app.id },
      data: { status: "APPROVED_PENDING_ROLE", roleAssignmentStatus: "PENDING" },
    });
    const settings = testRoleSettings();

    expect(await sweepRoleAssignments(settings)).toEqual({ reenqueued: 1, rechecksRestored: 0 });
    expect(await listJobs()).toEqual([expect.objectContaining({ key: app.id, task: "assign-role" })]);
    // Its job is live now: a second sweep adds nothing.
    expect(await sweepRoleAssignments(settings)).toEqual({ reenqueued: 0, rechecksRestored: 0 });

    await start();
    expect(await waitFor(read(app.id), (a) => a.status !== "APPROVED_PENDING_ROLE")).toMatchObject({
      status: "APPROVED_ROLE_ASSIGNED",
    });
  });

  // The total time against the limit's 10 s minimum is a speed target: bench/applications.bench.ts measures it.
  it("100 approvals under a 10/s member-role limit: all assigned, no 429 received (the limit planned ahead), the limit honoured", async () => {
    discord.configureRateLimits({ routes: { [PUT]: { limit: 10, windowMs: 1_000 } } });
    const { organization } = await createOrgWithGuild({
      guildId: WORLD_IDS.guild,
      approvedRoleId: WORLD_IDS.approvedRole,
    });
    const reviewer = await createReviewer();
    const ids: string[] = [];
    for (let i = 0; i < 100; i++) {
      const user = discord.model.addUser({ id: String(1300000000000000000n + BigInt(i)), username: `applicant_${i}` });
      discord.model.addMember(WORLD_IDS.guild, user.id);
      ids.push((await createApplication({ organizationId: organization.id, applicantDiscordId: user.id })).id);
    }
    for (const id of ids)
      await updateApplicationStatus({
        applicationId: id,
        organizationId: organization.id,
        status: "APPROVED",
        reviewerId: reviewer.id,
      });

    const started = Date.now();
    // Our plan of the guild's limit matches Discord's (here the fake's 10 per second).
    await start({ timeoutMs: 10_000, memberRoleLimit: { limit: 10, windowMs: 1_000, marginMs: 100 } });
    await waitFor(
      () => db.application.count({ where: { id: { in: ids }, status: "APPROVED_ROLE_ASSIGNED" } }),
      (n) => n === 100,
      45_000,
    );
    const elapsed = Date.now() - started;
    expect(await db.application.count({ where: { status: "APPROVED_ROLE_FAILED" } })).toBe(0);
    const statuses = discord.requests(PUT).map((r) => r.status);
    expect(statuses.filter((s) => s === 204)).toHaveLength(100);
    // Planned ahead, not discovered: Discord answers no 429 at all.
    expect(statuses.filter((s) => s === 429)).toHaveLength(0);
    // 100 PUTs at 10 per second cannot finish much sooner than 10 s unless the limit was ignored.
    expect(elapsed).toBeGreaterThan(8_500);
  }, 60_000);
});
