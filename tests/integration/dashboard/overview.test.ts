// The overview's "Needs attention": an approved applicant who has not joined the server yet is a wait (counted
// apart), not a failed role assignment; once the re-check window has passed, it is a failure someone must handle.
import { expect, it } from "vitest";
import { DEFAULT_ROLE_SETTINGS } from "@/lib/applications/role-jobs/settings";
import { db } from "@/lib/db";
import { getOverview } from "@/lib/dashboard/overview";
import { createApplication, createOrgWithGuild } from "~tests/helpers/applications";

async function failedApplication(organizationId: string, code: string, attemptedMsAgo: number) {
  const app = await createApplication({ organizationId, status: "APPROVED_ROLE_FAILED" });
  return db.application.update({
    where: { id: app.id },
    data: { roleErrorCode: code, roleAttemptedAt: new Date(Date.now() - attemptedMsAgo) },
  });
}

it("counts applicants waiting to join apart from failures, within the re-check window and the organization only", async () => {
  const { organization } = await createOrgWithGuild();
  const other = await createOrgWithGuild();
  const window = DEFAULT_ROLE_SETTINGS.memberRecheck.forMs;
  const waiting = await failedApplication(organization.id, "member_not_in_guild", 60_000);
  const expired = await failedApplication(organization.id, "member_not_in_guild", window + 60_000);
  const missing = await failedApplication(organization.id, "missing_permissions", 60_000);
  await failedApplication(other.organization.id, "member_not_in_guild", 60_000);

  const overview = await getOverview({ organizationId: organization.id });
  expect(overview.waitingToJoin).toBe(1);
  expect(overview.failed.map((f) => f.id).sort()).toEqual([expired.id, missing.id].sort());
  expect(overview.failed.map((f) => f.id)).not.toContain(waiting.id);
  expect(overview.counts.APPROVED_ROLE_FAILED).toBe(3);
});
