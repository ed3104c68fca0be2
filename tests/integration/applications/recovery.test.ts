// Recovery after a crash (issue 10 item 6): a runner in its own process takes jobs, hangs in Discord and is killed
// with SIGKILL; with production's registry timings, another runner finishes every application within 30 s, each
// with exactly one successful role call, and never unlocks the jobs of a runner that is still heartbeating.
import type { ChildProcess } from "node:child_process";
import type { Runner } from "graphile-worker";
import { afterEach, describe, expect, it } from "vitest";
import { enqueueRoleAssignment } from "@/lib/applications/role-jobs/enqueue";
import { updateApplicationStatus } from "@/lib/applications/decisions/review";
import { sweepRoleAssignments } from "@/lib/applications/role-jobs/sweeper";
import { db } from "@/lib/db";
import { unlockDeadWorkers } from "@/lib/jobs/worker-registry";
import { useDiscordFake, WORLD_IDS } from "~tests/fakes/discord";
import { startDiscordSandbox, type DiscordSandbox } from "~tests/fakes/discord/sandbox";
import {
  createApplication,
  createOrgWithGuild,
  createReviewer,
  listJobs,
  newSnowflake,
  waitFor,
} from "~tests/helpers/applications";
import { spawnWorkerProcess, startTestRunner, testRoleSettings } from "~tests/helpers/job-runner";

const discord = useDiscordFake();
const PUT = "PUT /guilds/{guild_id}/members/{user_id}/roles/{role_id}";

let sandbox: DiscordSandbox | undefined;
let child: ChildProcess | undefined;
const runners: Runner[] = [];
afterEach(async () => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  child = undefined;
  for (const r of runners.splice(0)) await r.stop().catch(() => {});
  await sandbox?.close();
  sandbox = undefined;
});

/** Applicants who are members of the guild in both fakes: the sandbox (the child's Discord) and the msw fake. */
async function approvedApplications(count: number) {
  const { organization } = await createOrgWithGuild({
    guildId: WORLD_IDS.guild,
    approvedRoleId: WORLD_IDS.approvedRole,
  });
  const reviewer = await createReviewer();
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = newSnowflake();
    for (const model of [discord.model, sandbox!.fake.model]) {
      model.addUser({ id, username: `crash_${i}` });
      model.addMember(WORLD_IDS.guild, id);
    }
    const app = await createApplication({ organizationId: organization.id, applicantDiscordId: id });
    await updateApplicationStatus({
      applicationId: app.id,
      organizationId: organization.id,
      status: "APPROVED",
      reviewerId: reviewer.id,
    });
    ids.push(app.id);
  }
  return ids;
}

describe("recovery after a crash", () => {
  it("a runner killed with SIGKILL while holding jobs: every application final within 30 s, one successful PUT each", async () => {
    sandbox = await startDiscordSandbox({ port: 0 });
    // The child's role calls hang, as calls in flight at a crash do.
    sandbox.fake.injectFault({ route: PUT, delayMs: 120_000, times: 1_000 });
    const ids = await approvedApplications(8);
    child = await spawnWorkerProcess({
      env: { ...sandbox.env, DATABASE_URL: process.env.DATABASE_URL! },
      concurrency: 4,
    });
    // Killed while holding jobs with their role calls in flight (a loaded machine may start fewer than the 4 slots).
    await waitFor(
      async () => sandbox!.fake.countRequests(PUT),
      (n) => n >= 2,
      45_000,
    );
    expect((await listJobs()).filter((j) => j.locked_at !== null).length).toBeGreaterThanOrEqual(2);

    child.kill("SIGKILL");
    const killedAt = Date.now();
    // A new runner with production's registry timings (heartbeat 5 s, dead after 20 s); no sweeper.
    runners.push(await startTestRunner({ settings: { timeoutMs: 10_000 } }));
    await waitFor(
      () => db.application.count({ where: { id: { in: ids }, status: "APPROVED_PENDING_ROLE" } }),
      (n) => n === 0,
      45_000,
    );
    const recoveredMs = Date.now() - killedAt;

    expect(await db.application.count({ where: { id: { in: ids }, status: "APPROVED_ROLE_ASSIGNED" } })).toBe(8);
    expect(recoveredMs).toBeLessThan(30_000);
    const ok = discord
      .requests(PUT)
      .filter((p) => p.status === 204)
      .map((p) => p.params.user_id);
    expect(ok).toHaveLength(8);
    expect(new Set(ok).size).toBe(8);
  }, 90_000);

  it("the jobs of a runner that still heartbeats are never unlocked, however old their lock", async () => {
    const { organization } = await createOrgWithGuild();
    const app = await createApplication({ organizationId: organization.id });
    await enqueueRoleAssignment({ tx: db, applicationId: app.id, organizationId: organization.id });
    // Locked a minute ago by "alive" (which heartbeats) and by "gone" (which stopped 30 s ago).
    await db.$executeRaw`UPDATE graphile_worker._private_jobs SET locked_by = 'alive', locked_at = now() - interval '1 minute'`;
    await db.$executeRaw`INSERT INTO "JobWorker" (id, "lastSeenAt") VALUES ('alive', now()), ('gone', now() - interval '30 seconds')`;
    expect(await unlockDeadWorkers({ deadAfterMs: 20_000 })).toEqual({ jobs: 0, workers: [] });
    // Nor does the sweeper free it by lock age (it once force-unlocked every job of a runner whose lock was old).
    await sweepRoleAssignments(testRoleSettings({ staleLockMs: 1_000 }));
    const [held] = await db.$queryRaw<
      { locked_by: string | null }[]
    >`SELECT locked_by FROM graphile_worker._private_jobs`;
    expect(held?.locked_by).toBe("alive");
    // The same lock held by the silent runner is released.
    await db.$executeRaw`UPDATE graphile_worker._private_jobs SET locked_by = 'gone'`;
    expect(await unlockDeadWorkers({ deadAfterMs: 20_000 })).toEqual({ jobs: 1, workers: ["gone"] });
    // A fresh lock of an unknown runner (registered a moment later) is left alone too.
    await db.$executeRaw`UPDATE graphile_worker._private_jobs SET locked_by = 'new', locked_at = now()`;
    expect(await unlockDeadWorkers({ deadAfterMs: 20_000 })).toEqual({ jobs: 0, workers: [] });
  });
});
