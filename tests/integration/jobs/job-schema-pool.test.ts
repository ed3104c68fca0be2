// The first enqueue of a process checks graphile-worker's schema (and drops an earlier version's queues). It runs
// inside the caller's transaction, which holds a pool connection: a burst of approvals holding every connection of
// the Prisma pool (10, src/lib/db.ts) used to wait for an eleventh that never came, failing with the pool's "timeout
// exceeded when trying to connect" (seen in the applications bench and in the 20-parallel-approvals test when it
// ran first). 10 approvals, one per pool connection, show it exactly.
import { expect, it } from "vitest";
import { updateApplicationStatus } from "@/lib/applications/decisions/review";
import { db } from "@/lib/db";
import { forgetJobSchemaCheck } from "@/lib/jobs/migrate";
import { WORLD_IDS } from "~tests/fakes/discord";
import { createApplication, createOrgWithGuild, createReviewer, newSnowflake } from "~tests/helpers/applications";

it("10 concurrent approvals (the pool size) as a process's first enqueue all commit, each with its job", async () => {
  const { organization } = await createOrgWithGuild({
    guildId: WORLD_IDS.guild,
    approvedRoleId: WORLD_IDS.approvedRole,
  });
  const reviewer = await createReviewer();
  const apps = [];
  for (let i = 0; i < 10; i++)
    apps.push(await createApplication({ organizationId: organization.id, applicantDiscordId: newSnowflake() }));
  forgetJobSchemaCheck(); // as in a freshly started process
  const results = await Promise.allSettled(
    apps.map((app) =>
      updateApplicationStatus({
        applicationId: app.id,
        organizationId: organization.id,
        status: "APPROVED",
        reviewerId: reviewer.id,
      }),
    ),
  );
  expect(results.flatMap((r) => (r.status === "rejected" ? [String(r.reason)] : []))).toEqual([]);
  expect(await db.application.count({ where: { status: "APPROVED_PENDING_ROLE" } })).toBe(10);
  const [jobs] = await db.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id
    WHERE t.identifier = 'assign-role'`;
  expect(jobs?.n).toBe(10);
});
