// Ticket 4's steps against the real database, a real graphile-worker runner and the Discord fake.
import type { Runner } from "graphile-worker";
import { afterEach, describe, expect, it } from "vitest";
import { retryRoleAssignment, updateApplicationStatus } from "@/lib/applications/decisions/review";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors/app-error";
import { useDiscordFake, WORLD_IDS } from "~tests/fakes/discord";
import { createApplication, createOrgWithGuild, createReviewer, waitFor } from "~tests/helpers/applications";
import { startTestRunner, type TestRunnerOptions } from "~tests/helpers/job-runner";

const discord = useDiscordFake();
const PUT = "PUT /guilds/{guild_id}/members/{user_id}/roles/{role_id}";

let runner: Runner | undefined;
afterEach(async () => {
  await runner?.stop();
  runner = undefined;
});

async function start(options: TestRunnerOptions = {}) {
  runner = await startTestRunner(options);
}

async function approvedApplication(options: { applicantDiscordId?: string; approvedRoleId?: string } = {}) {
  const { organization } = await createOrgWithGuild({
    guildId: WORLD_IDS.guild,
    approvedRoleId: options.approvedRoleId ?? WORLD_IDS.approvedRole,
  });
  const reviewer = await createReviewer();
  const app = await createApplication({
    organizationId: organization.id,
    applicantDiscordId: options.applicantDiscordId ?? WORLD_IDS.applicant,
  });
  return { organization, reviewer, app };
}

const read = (id: string) => () => db.application.findUniqueOrThrow({ where: { id } });
const settled = (a: { status: string }) => a.status === "APPROVED_ROLE_ASSIGNED" || a.status === "APPROVED_ROLE_FAILED";

/** The application's audit actions without its decision message's (its own job, in no fixed order with the roles). */
async function roleActions(applicationId: string): Promise<string[]> {
  const events = await db.auditEvent.findMany({
    where: { targetId: applicationId, NOT: { action: { startsWith: "application.message_" } } },
    orderBy: { createdAt: "asc" },
  });
  return events.map((e) => e.action);
}

describe("the assign-role job", () => {
  it("success path: APPROVED_PENDING_ROLE -> APPROVED_ROLE_ASSIGNED with one PUT naming the application and reviewer", async () => {
    await start();
    const { organization, reviewer, app } = await approvedApplication();
    const approved = await updateApplicationStatus({
      applicationId: app.id,
      organizationId: organization.id,
      status: "APPROVED",
      reviewerId: reviewer.id,
    });
    expect(approved.status).toBe("APPROVED_PENDING_ROLE");

    const done = await waitFor(read(app.id), settled);
    expect(done).toMatchObject({
      status: "APPROVED_ROLE_ASSIGNED",
      roleAssignmentStatus: "SUCCESS",
      roleErrorCode: null,
      attemptCount: 1,
    });
    expect(done.roleAssignedAt).toBeInstanceOf(Date);
    const puts = discord.requests(PUT);
    expect(puts).toHaveLength(1);
    expect(puts[0]!.params).toMatchObject({
      guild_id: WORLD_IDS.guild,
      user_id: WORLD_IDS.applicant,
      role_id: WORLD_IDS.approvedRole,
    });
    expect(puts[0]!.auditLogReason).toContain(app.id);
    expect(puts[0]!.auditLogReason).toContain(reviewer.name);
    expect(discord.world.guild.members.get(WORLD_IDS.applicant)!.roleIds.has(WORLD_IDS.approvedRole)).toBe(true);
    const actions = await roleActions(app.id);
    expect(actions).toEqual(["application.approve", "application.role_assigned"]);
  });

  it("Discord 500 -> automatic retries -> APPROVED_ROLE_FAILED with the error stored; a retry after the fault clears succeeds", async () => {
    await start();
    discord.injectFault({ route: PUT, status: 500, times: 1_000 });
    const { organization, reviewer, app } = await approvedApplication();
    await updateApplicationStatus({
      applicationId: app.id,
      organizationId: organization.id,
      status: "APPROVED",
      reviewerId: reviewer.id,
    });

    const failed = await waitFor(read(app.id), settled, 20_000);
    expect(failed).toMatchObject({
      status: "APPROVED_ROLE_FAILED",
      roleAssignmentStatus: "FAILED",
      roleErrorCode: "discord_unavailable",
      attemptCount: 5,
    });
    expect(failed.roleErrorMessage).toMatch(/retry/i);
    expect(discord.countRequests(PUT)).toBeGreaterThanOrEqual(5);
    const audit = await db.auditEvent.findFirstOrThrow({
      where: { targetId: app.id, action: "application.role_failed" },
    });
    expect(audit).toMatchObject({
      outcome: "FAILED",
      metadata: expect.objectContaining({ discord: "discord_unavailable", attempt: 5 }),
    });

    discord.faults.clear();
    const retried = await retryRoleAssignment({
      applicationId: app.id,
      organizationId: organization.id,
      actorId: reviewer.id,
    });
    expect(retried).toMatchObject({ status: "APPROVED_PENDING_ROLE", retryCount: 1, roleErrorCode: null });
    const done = await waitFor(read(app.id), (a) => a.status !== "APPROVED_PENDING_ROLE");
    expect(done).toMatchObject({ status: "APPROVED_ROLE_ASSIGNED", roleAssignmentStatus: "SUCCESS", retryCount: 1 });
  });

  it("a Discord answer slower than the timeout fails the assignment with a timeout error", async () => {
    await start({ settings: { timeoutMs: 300, maxAttempts: 2 } });
    discord.injectFault({ route: PUT, delayMs: 5_000, times: 1_000 });
    const { organization, reviewer, app } = await approvedApplication();
    const started = Date.now();
    await updateApplicationStatus({
      applicationId: app.id,
      organizationId: organization.id,
      status: "APPROVED",
      reviewerId: reviewer.id,
    });

    const failed = await waitFor(read(app.id), settled, 20_000);
    expect(failed).toMatchObject({ status: "APPROVED_ROLE_FAILED", roleErrorCode: "discord_timeout", attemptCount: 2 });
    // Two attempts of ~300 ms each, not two of 5 s.
    expect(Date.now() - started).toBeLessThan(4_500);
  });

  it("a permanent failure fails at once with an actionable code: missing permissions (50013)", async () => {
    await start();
    // Staff sits above the bot; without its Manage Server (refused earlier as role_dangerous) Discord answers 50013.
    discord.world.roles.staff.permissions = 0n;
    const staff = await approvedApplication({ approvedRoleId: WORLD_IDS.staffRole });
    await updateApplicationStatus({
      applicationId: staff.app.id,
      organizationId: staff.organization.id,
      status: "APPROVED",
      reviewerId: staff.reviewer.id,
    });
    expect(await waitFor(read(staff.app.id), settled)).toMatchObject({
      status: "APPROVED_ROLE_FAILED",
      roleErrorCode: "missing_permissions",
      attemptCount: 1,
    });
    expect((await db.application.findUniqueOrThrow({ where: { id: staff.app.id } })).roleErrorMessage).toMatch(
      /move the bot's role above/,
    );
    expect(discord.countRequests(PUT)).toBe(1);
  });

  it("a role that no longer exists is caught by the pre-check, without a PUT", async () => {
    await start();
    const gone = await approvedApplication({ approvedRoleId: "1200000000000009999" });
    await updateApplicationStatus({
      applicationId: gone.app.id,
      organizationId: gone.organization.id,
      status: "APPROVED",
      reviewerId: gone.reviewer.id,
    });
    expect(await waitFor(read(gone.app.id), settled)).toMatchObject({
      status: "APPROVED_ROLE_FAILED",
      roleErrorCode: "role_missing",
    });
    expect(discord.countRequests(PUT)).toBe(0);
  });

  it("a role created after the role list was cached is found (the pre-check asks Discord again before failing)", async () => {
    await start();
    const { organization, reviewer, app } = await approvedApplication();
    await updateApplicationStatus({
      applicationId: app.id,
      organizationId: organization.id,
      status: "APPROVED",
      reviewerId: reviewer.id,
    });
    await waitFor(read(app.id), settled);
    const fresh = discord.model.addRole(WORLD_IDS.guild, { id: "1200000000000001005", name: "Verified", position: 2 });
    await db.discordConnection.update({
      where: { organizationId: organization.id },
      data: { approvedRoleId: fresh.id },
    });
    const second = await createApplication({ organizationId: organization.id, applicantDiscordId: WORLD_IDS.admin });
    await updateApplicationStatus({
      applicationId: second.id,
      organizationId: organization.id,
      status: "APPROVED",
      reviewerId: reviewer.id,
    });
    expect(await waitFor(read(second.id), settled)).toMatchObject({ status: "APPROVED_ROLE_ASSIGNED" });
  });

  it("an organization without a connected guild fails visibly with guild_not_connected", async () => {
    await start();
    const { organization } = await createOrgWithGuild({ guildId: null });
    const reviewer = await createReviewer();
    const app = await createApplication({ organizationId: organization.id, applicantDiscordId: WORLD_IDS.applicant });
    await updateApplicationStatus({
      applicationId: app.id,
      organizationId: organization.id,
      status: "APPROVED",
      reviewerId: reviewer.id,
    });
    const failed = await waitFor(read(app.id), settled);
    expect(failed).toMatchObject({
      status: "APPROVED_ROLE_FAILED",
      roleErrorCode: "guild_not_connected",
      attemptCount: 1,
    });
    expect(failed.roleErrorMessage).toMatch(/connect the bot/);
    expect(discord.countRequests()).toBe(0);
  });

  it("member_not_in_guild is assigned automatically once the applicant joins, without a manual retry", async () => {
    await start();
    const { organization, reviewer, app } = await approvedApplication({ applicantDiscordId: WORLD_IDS.outsider });
    await updateApplicationStatus({
      applicationId: app.id,
      organizationId: organization.id,
      status: "APPROVED",
      reviewerId: reviewer.id,
    });
    const failed = await waitFor(read(app.id), settled);
    expect(failed).toMatchObject({
      status: "APPROVED_ROLE_FAILED",
      roleErrorCode: "member_not_in_guild",
      attemptCount: 1,
    });
    expect(failed.roleErrorMessage).toMatch(/not joined/);

    // Still not a member after a couple of re-checks: nothing changes.
    await waitFor(
      async () => discord.countRequests("GET /guilds/{guild_id}/members/{user_id}"),
      (n) => n >= 2,
    );
    expect((await read(app.id)()).status).toBe("APPROVED_ROLE_FAILED");

    discord.model.addMember(WORLD_IDS.guild, WORLD_IDS.outsider);
    const done = await waitFor(read(app.id), (a) => a.status === "APPROVED_ROLE_ASSIGNED");
    expect(done).toMatchObject({ roleAssignmentStatus: "SUCCESS", retryCount: 0 });
    const actions = await roleActions(app.id);
    expect(actions).toEqual([
      "application.approve",
      "application.role_failed",
      "application.member_joined",
      "application.role_assigned",
    ]);
  });

  it("20 parallel approvals of one application: one transition and one PUT", async () => {
    await start();
    const { organization, reviewer, app } = await approvedApplication();
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () =>
        updateApplicationStatus({
          applicationId: app.id,
          organizationId: organization.id,
          status: "APPROVED",
          reviewerId: reviewer.id,
        }),
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results) if (r.status === "rejected") expect((r.reason as AppError).status).toBe(409);
    await waitFor(read(app.id), settled);
    // Give a stray duplicate job time to show up.
    await new Promise((r) => setTimeout(r, 500));
    expect(discord.countRequests(PUT)).toBe(1);
    expect(await db.auditEvent.count({ where: { targetId: app.id, action: "application.approve" } })).toBe(1);
  });
});
