// One member re-check window: the sweeper, the dashboard overview and the applications list agree on which
// member_not_in_guild approvals are still waiting for the applicant to join, also when `updatedAt` has moved away
// from the attempt (a later write to the row), since all three count from `roleAttemptedAt`.
import { expect, it } from "vitest";
import { waitingUntil } from "@/components/applications/types";
import { DEFAULT_ROLE_SETTINGS } from "@/lib/applications/role-jobs/settings";
import { sweepRoleAssignments } from "@/lib/applications/role-jobs/sweeper";
import { db } from "@/lib/db";
import { getOverview } from "@/lib/dashboard/overview";
import { ensureJobSchema } from "@/lib/jobs/migrate";
import { createApplication, createOrgWithGuild, listJobs } from "~tests/helpers/applications";
import { testRoleSettings } from "~tests/helpers/job-runner";

const HOUR = 60 * 60_000;
const WINDOW = DEFAULT_ROLE_SETTINGS.memberRecheck.forMs;

async function failedApplication(
  organizationId: string,
  code: string,
  attemptedMsAgo: number,
  updatedMsAgo = attemptedMsAgo,
) {
  const app = await createApplication({ organizationId, status: "APPROVED_ROLE_FAILED" });
  // Raw, so `updatedAt` is what the test says and not Prisma's now().
  await db.$executeRaw`
    UPDATE "Application" SET "roleErrorCode" = ${code},
      "roleAttemptedAt" = now() - ${`${attemptedMsAgo} milliseconds`}::interval,
      "updatedAt" = now() - ${`${updatedMsAgo} milliseconds`}::interval
    WHERE id = ${app.id}::uuid`;
  return app.id;
}

it("the sweeper re-checks exactly the approvals the overview counts and the list shows as waiting", async () => {
  await ensureJobSchema();
  const { organization } = await createOrgWithGuild();
  const ids = {
    waiting: await failedApplication(organization.id, "member_not_in_guild", HOUR),
    // Written to a moment ago (updatedAt now), its attempt an hour old: still waiting, and past the sweeper's grace.
    waitingTouched: await failedApplication(organization.id, "member_not_in_guild", HOUR, 0),
    // Window over, but written to an hour ago: updatedAt must not reopen it.
    expiredTouched: await failedApplication(organization.id, "member_not_in_guild", WINDOW + HOUR, HOUR),
    expired: await failedApplication(organization.id, "member_not_in_guild", WINDOW + HOUR),
    otherFailure: await failedApplication(organization.id, "missing_permissions", HOUR),
  };
  const expected = [ids.waiting, ids.waitingTouched].sort();

  const rows = await db.application.findMany({ where: { organizationId: organization.id } });
  const listed = rows.filter((r) => waitingUntil(r) !== null).map((r) => r.id);

  const overview = await getOverview({ organizationId: organization.id });
  const failed = new Set(overview.failed.map((f) => f.id));
  const counted = rows.filter((r) => !failed.has(r.id)).map((r) => r.id);

  const settings = testRoleSettings({
    memberRecheck: DEFAULT_ROLE_SETTINGS.memberRecheck,
    sweepGraceMs: DEFAULT_ROLE_SETTINGS.sweepGraceMs,
  });
  const swept = await sweepRoleAssignments(settings);
  const rechecks = (await listJobs()).filter((j) => j.task === "assign-role-member-recheck");
  const rechecked = rechecks.map((j) => j.key!.slice("member-recheck:".length));

  expect(listed.sort()).toEqual(expected);
  expect(counted.sort()).toEqual(expected);
  expect(overview.waitingToJoin).toBe(expected.length);
  expect(rechecked.sort()).toEqual(expected);
  expect(swept.rechecksRestored).toBe(expected.length);
  // The restored re-checks count their window from the attempt too.
  for (const job of rechecks) {
    const row = rows.find((r) => job.key === `member-recheck:${r.id}`)!;
    expect((job.payload as { since: string }).since).toBe(row.roleAttemptedAt!.toISOString());
  }
});
