import { beforeAll, describe, expect, it } from "vitest";
import { retryRoleAssignment, updateApplicationStatus } from "@/lib/applications/decisions/review";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors/app-error";
import { ensureJobSchema } from "@/lib/jobs/migrate";
import { createApplication, createOrgWithGuild, createReviewer, listJobs } from "~tests/helpers/applications";

beforeAll(async () => {
  await ensureJobSchema();
});

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
  return "no error";
}

describe("updateApplicationStatus", () => {
  it("approves an applicant with a Discord id into APPROVED_PENDING_ROLE and enqueues one job (in no named queue)", async () => {
    const { organization } = await createOrgWithGuild();
    const reviewer = await createReviewer();
    const app = await createApplication({ organizationId: organization.id });

    const updated = await updateApplicationStatus({
      applicationId: app.id,
      organizationId: organization.id,
      status: "APPROVED",
      reviewerId: reviewer.id,
    });

    expect(updated).toMatchObject({
      status: "APPROVED_PENDING_ROLE",
      roleAssignmentStatus: "PENDING",
      reviewedById: reviewer.id,
      version: 1,
    });
    const jobs = await listJobs();
    expect(jobs).toHaveLength(1);
    // No named queue: a queue per guild made every job fetch pay for every guild (issue 18).
    expect(jobs[0]).toMatchObject({ key: app.id, task: "assign-role", queue: null, max_attempts: 5 });
    const audit = await db.auditEvent.findMany({ where: { targetId: app.id } });
    expect(audit).toEqual([
      expect.objectContaining({
        action: "application.approve",
        actorUserId: reviewer.id,
        metadata: { from: "PENDING", to: "APPROVED_PENDING_ROLE" },
      }),
    ]);
  });

  it("approves an applicant without a Discord id straight to APPROVED / NOT_APPLICABLE with no job", async () => {
    const { organization } = await createOrgWithGuild();
    const reviewer = await createReviewer();
    const app = await createApplication({ organizationId: organization.id, applicantDiscordId: null });

    const updated = await updateApplicationStatus({
      applicationId: app.id,
      organizationId: organization.id,
      status: "APPROVED",
      reviewerId: reviewer.id,
    });

    expect(updated).toMatchObject({ status: "APPROVED", roleAssignmentStatus: "NOT_APPLICABLE" });
    expect(await listJobs()).toEqual([]);
  });

  it("rejects, and a second decision on a decided application is an illegal transition that writes nothing", async () => {
    const { organization } = await createOrgWithGuild();
    const reviewer = await createReviewer();
    const app = await createApplication({ organizationId: organization.id });
    await updateApplicationStatus({
      applicationId: app.id,
      organizationId: organization.id,
      status: "REJECTED",
      reviewerId: reviewer.id,
    });

    expect(
      await codeOf(
        updateApplicationStatus({
          applicationId: app.id,
          organizationId: organization.id,
          status: "APPROVED",
          reviewerId: reviewer.id,
        }),
      ),
    ).toBe("illegal_transition");
    expect(await db.application.findUniqueOrThrow({ where: { id: app.id } })).toMatchObject({
      status: "REJECTED",
      version: 1,
    });
    expect(await db.auditEvent.count()).toBe(1);
    expect(await listJobs()).toEqual([]);
  });

  it("does not see another organization's application", async () => {
    const { organization } = await createOrgWithGuild();
    const other = await createOrgWithGuild();
    const reviewer = await createReviewer();
    const app = await createApplication({ organizationId: other.organization.id });

    expect(
      await codeOf(
        updateApplicationStatus({
          applicationId: app.id,
          organizationId: organization.id,
          status: "APPROVED",
          reviewerId: reviewer.id,
        }),
      ),
    ).toBe("not_found");
    expect(
      await codeOf(
        updateApplicationStatus({
          applicationId: "not-a-uuid",
          organizationId: organization.id,
          status: "APPROVED",
          reviewerId: reviewer.id,
        }),
      ),
    ).toBe("not_found");
    expect((await db.application.findUniqueOrThrow({ where: { id: app.id } })).status).toBe("PENDING");
  });

  it("20 parallel approvals of one application: one transition, one job, the rest 409", async () => {
    const { organization } = await createOrgWithGuild();
    const reviewers = await Promise.all(Array.from({ length: 4 }, () => createReviewer()));
    const app = await createApplication({ organizationId: organization.id });

    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        updateApplicationStatus({
          applicationId: app.id,
          organizationId: organization.id,
          status: "APPROVED",
          reviewerId: reviewers[i % 4]!.id,
        }),
      ),
    );

    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const codes = results.flatMap((r) => (r.status === "rejected" ? [(r.reason as AppError).code] : []));
    expect(codes).toHaveLength(19);
    for (const code of codes) expect(["conflict", "illegal_transition"]).toContain(code);
    expect(await db.application.findUniqueOrThrow({ where: { id: app.id } })).toMatchObject({
      status: "APPROVED_PENDING_ROLE",
      version: 1,
    });
    expect(await listJobs()).toHaveLength(1);
    expect(await db.auditEvent.count({ where: { targetId: app.id } })).toBe(1);
  });
});

describe("retryRoleAssignment", () => {
  it("moves a failed assignment back to pending, counts the retry, clears the error and enqueues", async () => {
    const { organization } = await createOrgWithGuild();
    const admin = await createReviewer();
    const app = await createApplication({
      organizationId: organization.id,
      status: "APPROVED_ROLE_FAILED",
      retryCount: 2,
    });
    await db.application.update({
      where: { id: app.id },
      data: { roleErrorCode: "discord_unavailable", roleErrorMessage: "x", attemptCount: 5 },
    });

    const updated = await retryRoleAssignment({
      applicationId: app.id,
      organizationId: organization.id,
      actorId: admin.id,
    });

    expect(updated).toMatchObject({
      status: "APPROVED_PENDING_ROLE",
      roleAssignmentStatus: "PENDING",
      retryCount: 3,
      attemptCount: 0,
      roleErrorCode: null,
      roleErrorMessage: null,
    });
    expect(await listJobs()).toEqual([expect.objectContaining({ key: app.id, task: "assign-role" })]);
  });

  it("refuses the sixth manual retry with retry_limit_reached", async () => {
    const { organization } = await createOrgWithGuild();
    const admin = await createReviewer();
    const app = await createApplication({
      organizationId: organization.id,
      status: "APPROVED_ROLE_FAILED",
      retryCount: 5,
    });

    expect(
      await codeOf(retryRoleAssignment({ applicationId: app.id, organizationId: organization.id, actorId: admin.id })),
    ).toBe("retry_limit_reached");
    expect(await db.application.findUniqueOrThrow({ where: { id: app.id } })).toMatchObject({
      status: "APPROVED_ROLE_FAILED",
      retryCount: 5,
    });
    expect(await listJobs()).toEqual([]);
  });

  it("only retries from APPROVED_ROLE_FAILED", async () => {
    const { organization } = await createOrgWithGuild();
    const admin = await createReviewer();
    for (const status of ["PENDING", "APPROVED_ROLE_ASSIGNED", "APPROVED_PENDING_ROLE", "REJECTED"] as const) {
      const app = await createApplication({ organizationId: organization.id, status, applicantDiscordId: null });
      expect(
        await codeOf(
          retryRoleAssignment({ applicationId: app.id, organizationId: organization.id, actorId: admin.id }),
        ),
      ).toBe("illegal_transition");
    }
  });
});
