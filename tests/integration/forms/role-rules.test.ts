// Role rules per form against the real database, a real graphile-worker runner and the Discord fake: several roles
// added and removed per approval with an outcome per role, idempotent replays, revocation, and the ways out once
// the manual retries are used up.
import type { Runner } from "graphile-worker";
import { afterEach, describe, expect, it } from "vitest";
import { runAssignRole } from "@/lib/applications/role-jobs/assign-role-task";
import { toApplicationDto } from "@/lib/applications/queries/dto";
import { markRoleHandled, revokeApplication } from "@/lib/applications/decisions/revoke";
import { retryRoleAssignment, updateApplicationStatus } from "@/lib/applications/decisions/review";
import type { StoredRoleOutcome } from "@/lib/applications/role-jobs/role-rule-runs";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors/app-error";
import { useDiscordFake, WORLD_IDS } from "~tests/fakes/discord";
import { createApplication, createOrgWithGuild, createReviewer, waitFor } from "~tests/helpers/applications";
import { startTestRunner, testRoleSettings } from "~tests/helpers/job-runner";

const discord = useDiscordFake();
const PUT = "PUT /guilds/{guild_id}/members/{user_id}/roles/{role_id}";
const DELETE = "DELETE /guilds/{guild_id}/members/{user_id}/roles/{role_id}";
const VERIFIED = "1200000000000001005";

let runner: Runner | undefined;
afterEach(async () => {
  await runner?.stop();
  runner = undefined;
});

const read = (id: string) => () => db.application.findUniqueOrThrow({ where: { id } });
const settledApproval = (a: { status: string }) =>
  a.status === "APPROVED_ROLE_ASSIGNED" || a.status === "APPROVED_ROLE_FAILED";
const settledRevocation = (a: { status: string }) =>
  a.status === "REVOKED" || a.status === "REVOKED_ROLE_REMOVAL_FAILED";
const memberRoles = () => [...discord.world.guild.members.get(WORLD_IDS.applicant)!.roleIds].sort();

/** An organization on the fake guild whose default form adds `add` and removes `remove`; the applicant holds Member. */
async function setup(rule: { add: string[]; remove: string[]; restoreOnRevoke?: boolean }) {
  discord.model.addRole(WORLD_IDS.guild, { id: VERIFIED, name: "Verified", position: 2 });
  discord.world.guild.members.get(WORLD_IDS.applicant)!.roleIds.add(WORLD_IDS.memberRole);
  const { organization } = await createOrgWithGuild({
    guildId: WORLD_IDS.guild,
    approvedRoleId: WORLD_IDS.approvedRole,
  });
  // Written directly: the save-time check (tested below) would refuse a role above the bot, as a later change in
  // Discord's role order can make it.
  await db.applicationForm.create({
    data: {
      organizationId: organization.id,
      slug: "apply",
      name: "Application",
      isDefault: true,
      approveAddRoleIds: rule.add,
      approveRemoveRoleIds: rule.remove,
      restoreOnRevoke: rule.restoreOnRevoke ?? true,
    },
  });
  const reviewer = await createReviewer();
  const app = await createApplication({ organizationId: organization.id, applicantDiscordId: WORLD_IDS.applicant });
  return { organization, reviewer, app };
}

function outcomes(raw: unknown) {
  return (raw as StoredRoleOutcome[]).map((o) => ({
    roleId: o.roleId,
    action: o.action,
    result: o.result,
    code: o.code,
  }));
}

describe("role rules on approval", () => {
  it("adds two roles and removes one; one add fails for missing permissions and the result names that role and why", async () => {
    runner = await startTestRunner();
    // Staff sits above the bot; without its Manage Server (refused earlier as role_dangerous) Discord answers 50013.
    discord.world.roles.staff.permissions = 0n;
    const { organization, reviewer, app } = await setup({
      add: [WORLD_IDS.approvedRole, WORLD_IDS.staffRole],
      remove: [WORLD_IDS.memberRole],
    });
    await updateApplicationStatus({
      applicationId: app.id,
      organizationId: organization.id,
      status: "APPROVED",
      reviewerId: reviewer.id,
    });

    const done = await waitFor(read(app.id), settledApproval);
    expect(done).toMatchObject({
      status: "APPROVED_ROLE_FAILED",
      roleErrorCode: "missing_permissions",
      attemptCount: 1,
    });
    expect(done.roleErrorMessage).toContain("“Staff”");
    expect(done.roleErrorMessage).toMatch(/move the bot's role above/);
    expect(done.roleErrorMessage).toMatch(/other 2 role changes succeeded/);
    expect(outcomes(done.roleOutcomes)).toEqual([
      { roleId: WORLD_IDS.approvedRole, action: "add", result: "added", code: undefined },
      { roleId: WORLD_IDS.staffRole, action: "add", result: "failed", code: "missing_permissions" },
      { roleId: WORLD_IDS.memberRole, action: "remove", result: "removed", code: undefined },
    ]);
    expect(memberRoles()).toEqual([WORLD_IDS.approvedRole]);
    // The API shows the same per-role outcome.
    const dto = toApplicationDto(done);
    expect(dto.roleAssignment.roles).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ roleId: WORLD_IDS.staffRole, roleName: "Staff", result: "failed" }),
      ]),
    );
  });

  it("a successful set, replayed after a crash before its outcome was recorded, changes nothing at Discord", async () => {
    const settings = testRoleSettings();
    const { organization, reviewer, app } = await setup({
      add: [WORLD_IDS.approvedRole, VERIFIED],
      remove: [WORLD_IDS.memberRole],
    });
    const approved = await updateApplicationStatus({
      applicationId: app.id,
      organizationId: organization.id,
      status: "APPROVED",
      reviewerId: reviewer.id,
    });
    expect(approved.status).toBe("APPROVED_PENDING_ROLE");
    // The job's first run: Discord is changed. Then the crash: the row goes back to what it was before the outcome
    // was written (same status and version), as if the process died between Discord's answers and the UPDATE.
    await runAssignRole({ applicationId: app.id, organizationId: organization.id }, settings);
    expect((await read(app.id)()).status).toBe("APPROVED_ROLE_ASSIGNED");
    expect(memberRoles()).toEqual([WORLD_IDS.approvedRole, VERIFIED].sort());
    const mutations = discord.countRequests(PUT) + discord.countRequests(DELETE);
    expect(mutations).toBe(3);
    await db.application.update({
      where: { id: app.id },
      data: { status: "APPROVED_PENDING_ROLE", roleAssignmentStatus: "PENDING", version: approved.version },
    });

    await runAssignRole({ applicationId: app.id, organizationId: organization.id }, settings);
    const replayed = await read(app.id)();
    expect(replayed.status).toBe("APPROVED_ROLE_ASSIGNED");
    expect(discord.countRequests(PUT) + discord.countRequests(DELETE)).toBe(mutations);
    expect(outcomes(replayed.roleOutcomes).map((o) => o.result)).toEqual([
      "already_present",
      "already_present",
      "already_absent",
    ]);
    expect(memberRoles()).toEqual([WORLD_IDS.approvedRole, VERIFIED].sort());
  });
});

describe("revocation", () => {
  it("removes the roles the approval added and gives back the one it removed, audited with the reason", async () => {
    runner = await startTestRunner();
    const { organization, reviewer, app } = await setup({
      add: [WORLD_IDS.approvedRole, VERIFIED],
      remove: [WORLD_IDS.memberRole],
    });
    await updateApplicationStatus({
      applicationId: app.id,
      organizationId: organization.id,
      status: "APPROVED",
      reviewerId: reviewer.id,
    });
    expect(await waitFor(read(app.id), settledApproval)).toMatchObject({ status: "APPROVED_ROLE_ASSIGNED" });
    expect(memberRoles()).toEqual([WORLD_IDS.approvedRole, VERIFIED].sort());

    const revoked = await revokeApplication({
      applicationId: app.id,
      organizationId: organization.id,
      actorId: reviewer.id,
      reason: "Broke rule 3",
    });
    expect(revoked.status).toBe("REVOKED_PENDING_ROLE_REMOVAL");
    const done = await waitFor(read(app.id), settledRevocation);
    expect(done).toMatchObject({
      status: "REVOKED",
      revokeReason: "Broke rule 3",
      revokedById: reviewer.id,
      roleAssignmentStatus: "SUCCESS",
    });
    expect(memberRoles()).toEqual([WORLD_IDS.memberRole]);
    expect(
      discord
        .requests(DELETE)
        .map((r) => r.params.role_id)
        .sort(),
    ).toEqual([WORLD_IDS.memberRole, WORLD_IDS.approvedRole, VERIFIED].sort());
    // The approval's DM to the applicant is audited too (its own job, apart from the roles): not part of this order.
    const actions = (
      await db.auditEvent.findMany({
        where: { targetId: app.id, NOT: { action: { startsWith: "application.message_" } } },
        orderBy: { createdAt: "asc" },
      })
    ).map((e) => e.action);
    expect(actions).toEqual([
      "application.approve",
      "application.role_assigned",
      "application.revoke",
      "application.roles_removed",
    ]);
    const audit = await db.auditEvent.findFirstOrThrow({ where: { targetId: app.id, action: "application.revoke" } });
    expect(audit).toMatchObject({
      actorUserId: reviewer.id,
      metadata: expect.objectContaining({ reason: "Broke rule 3", to: "REVOKED_PENDING_ROLE_REMOVAL" }),
    });
    expect(toApplicationDto(done).revocation).toMatchObject({ reason: "Broke rule 3", revokedById: reviewer.id });
  });

  it("a removal Discord refuses ends REVOKED_ROLE_REMOVAL_FAILED naming the role; a retry after the fix finishes it", async () => {
    runner = await startTestRunner();
    const { organization, reviewer, app } = await setup({ add: [WORLD_IDS.approvedRole], remove: [] });
    await updateApplicationStatus({
      applicationId: app.id,
      organizationId: organization.id,
      status: "APPROVED",
      reviewerId: reviewer.id,
    });
    await waitFor(read(app.id), settledApproval);
    discord.injectFault({ route: DELETE, status: 403, code: 50013, times: 1_000 });
    await revokeApplication({
      applicationId: app.id,
      organizationId: organization.id,
      actorId: reviewer.id,
      reason: "left",
    });
    const failed = await waitFor(read(app.id), settledRevocation);
    expect(failed).toMatchObject({ status: "REVOKED_ROLE_REMOVAL_FAILED", roleErrorCode: "missing_permissions" });
    expect(failed.roleErrorMessage).toContain("Could not remove “Approved”");

    discord.faults.clear();
    await retryRoleAssignment({ applicationId: app.id, organizationId: organization.id, actorId: reviewer.id });
    expect(await waitFor(read(app.id), settledRevocation)).toMatchObject({ status: "REVOKED" });
    expect(memberRoles()).toEqual([WORLD_IDS.memberRole]);
  });

  it("an approval without a Discord account is revoked at once; pending and rejected ones cannot be revoked", async () => {
    const { organization } = await createOrgWithGuild({ guildId: WORLD_IDS.guild });
    const reviewer = await createReviewer();
    const app = await createApplication({ organizationId: organization.id, applicantDiscordId: null });
    await updateApplicationStatus({
      applicationId: app.id,
      organizationId: organization.id,
      status: "APPROVED",
      reviewerId: reviewer.id,
    });
    expect(
      await revokeApplication({
        applicationId: app.id,
        organizationId: organization.id,
        actorId: reviewer.id,
        reason: "x",
      }),
    ).toMatchObject({ status: "REVOKED" });
    const pending = await createApplication({ organizationId: organization.id });
    await expect(
      revokeApplication({
        applicationId: pending.id,
        organizationId: organization.id,
        actorId: reviewer.id,
        reason: "x",
      }),
    ).rejects.toMatchObject({ code: "illegal_transition" });
  });
});

describe("after the manual retries are used up", () => {
  async function exhausted() {
    const { organization } = await createOrgWithGuild({
      guildId: WORLD_IDS.guild,
      approvedRoleId: WORLD_IDS.approvedRole,
    });
    const reviewer = await createReviewer();
    const app = await createApplication({
      organizationId: organization.id,
      applicantDiscordId: WORLD_IDS.applicant,
      status: "APPROVED_ROLE_FAILED",
      retryCount: 5,
    });
    await db.application.update({
      where: { id: app.id },
      data: {
        roleErrorCode: "missing_permissions",
        roleErrorMessage:
          "The bot may not give this role: in Server Settings > Roles, move the bot's role above the approved role and make sure it has Manage Roles, then retry.",
      },
    });
    return { organization, reviewer, app };
  }

  it("no retry is offered: a retry is refused and the message never says retry", async () => {
    const { organization, reviewer, app } = await exhausted();
    const refused = await retryRoleAssignment({
      applicationId: app.id,
      organizationId: organization.id,
      actorId: reviewer.id,
    }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).code).toBe("retry_limit_reached");
    const dto = toApplicationDto(await read(app.id)());
    expect(dto.roleAssignment.retriesLeft).toBe(0);
    expect(dto.roleAssignment.errorMessage).not.toMatch(/retr/i);
    expect(dto.roleAssignment.errorMessage).toMatch(/move the bot's role above/);
    expect(dto.roleAssignment.errorMessage).toMatch(/mark the role handled by hand, or reject or revoke/);
  });

  it("the admin can still reject: REJECTED, audited, and the failed approval's role taken off again", async () => {
    runner = await startTestRunner();
    const { organization, reviewer, app } = await exhausted();
    discord.world.guild.members.get(WORLD_IDS.applicant)!.roleIds.add(WORLD_IDS.approvedRole); // the attempt half-worked
    const rejected = await updateApplicationStatus({
      applicationId: app.id,
      organizationId: organization.id,
      status: "REJECTED",
      reviewerId: reviewer.id,
    });
    expect(rejected).toMatchObject({ status: "REJECTED", roleAssignmentStatus: "PENDING" });
    const done = await waitFor(read(app.id), (a) => a.roleAssignmentStatus !== "PENDING");
    expect(done.roleAssignmentStatus).toBe("SUCCESS");
    expect(memberRoles()).toEqual([]);
    const audit = await db.auditEvent.findFirstOrThrow({ where: { targetId: app.id, action: "application.reject" } });
    expect(audit.metadata).toMatchObject({
      from: "APPROVED_ROLE_FAILED",
      to: "REJECTED",
      afterRoleFailure: "missing_permissions",
      retryCount: 5,
    });
  });

  it("the admin can mark the role handled by hand: APPROVED_ROLE_ASSIGNED, audited with who and the note, no Discord call", async () => {
    const { organization, reviewer, app } = await exhausted();
    const handled = await markRoleHandled({
      applicationId: app.id,
      organizationId: organization.id,
      actorId: reviewer.id,
      note: "gave it in Discord",
    });
    expect(handled).toMatchObject({ status: "APPROVED_ROLE_ASSIGNED", roleAssignmentStatus: "SUCCESS" });
    expect(handled.roleHandledManuallyAt).toBeInstanceOf(Date);
    const audit = await db.auditEvent.findFirstOrThrow({
      where: { targetId: app.id, action: "application.role_marked_handled" },
    });
    expect(audit).toMatchObject({
      actorUserId: reviewer.id,
      metadata: expect.objectContaining({ note: "gave it in Discord", from: "APPROVED_ROLE_FAILED" }),
    });
    expect(discord.countRequests()).toBe(0);
    await expect(
      markRoleHandled({ applicationId: app.id, organizationId: organization.id, actorId: reviewer.id }),
    ).rejects.toMatchObject({ code: "illegal_transition" });
  });
});
