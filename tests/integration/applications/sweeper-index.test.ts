// The sweeper's member re-check query runs every minute: it must be a range of an index that holds only
// member_not_in_guild failures, not a read of every failed application (issue 18 item 4). PostgreSQL uses a partial
// index only when the query implies its predicate, so the plan also shows the WHERE and the index agree.
import { describe, expect, it } from "vitest";
import { Prisma } from "@/generated/prisma/client";
import { DEFAULT_ROLE_SETTINGS } from "@/lib/applications/role-jobs/settings";
import { recheckCandidatesSql } from "@/lib/applications/role-jobs/sweeper";
import { db } from "@/lib/db";
import { ensureJobSchema } from "@/lib/jobs/migrate";
import { createOrgWithGuild } from "~tests/helpers/applications";

type PlanNode = {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  "Shared Hit Blocks"?: number;
  "Shared Read Blocks"?: number;
  Plans?: PlanNode[];
};

function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

describe("the sweeper's re-check query", () => {
  it("reads applications_member_recheck_idx, a few buffers, among 20,000 other failed assignments", async () => {
    await ensureJobSchema();
    const { organization } = await createOrgWithGuild();
    await db.$executeRaw`
      INSERT INTO "Application" ("organizationId", "applicantName", status, "roleAssignmentStatus", "roleErrorCode", "roleAttemptedAt", "updatedAt")
      SELECT ${organization.id}::uuid, 'x', 'APPROVED_ROLE_FAILED', 'FAILED',
             CASE WHEN g % 4000 = 0 THEN 'member_not_in_guild' ELSE 'missing_permissions' END,
             now() - interval '1 hour', now() - interval '1 hour'
      FROM generate_series(1, 20000) g`;
    await db.$executeRawUnsafe(`ANALYZE "Application"`);
    const query = recheckCandidatesSql({ settings: DEFAULT_ROLE_SETTINGS });
    const [row] = await db.$queryRaw<{ "QUERY PLAN": [{ Plan: PlanNode }] }[]>(
      Prisma.sql`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${query}`,
    );
    const plan = nodes(row!["QUERY PLAN"][0].Plan);
    const onApplication = plan.filter((n) => n["Index Name"]?.startsWith("applications_"));
    expect(onApplication.map((n) => n["Index Name"])).toEqual(["applications_member_recheck_idx"]);
    expect(plan.some((n) => n["Node Type"] === "Seq Scan" && n["Relation Name"] === "Application")).toBe(false);
    const buffers = (plan[0]!["Shared Hit Blocks"] ?? 0) + (plan[0]!["Shared Read Blocks"] ?? 0);
    expect(buffers).toBeLessThan(50);
  });
});
