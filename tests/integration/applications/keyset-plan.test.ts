// Issue 18 item 3: a deep page reads about what the first page reads, for applications and for the audit log,
// because the keyset bound is a row-value comparison PostgreSQL uses as the start of an index range. The OR form
// it replaced is measured beside it, so this test shows the difference it guards (figures at larger depth:
// bench/keyset.bench.ts).
import { describe, expect, it } from "vitest";
import { Prisma } from "@/generated/prisma/client";
import { applicationsPageQuery } from "@/lib/applications/queries/list-applications";
import { auditPageQuery } from "@/lib/audit/list-audit";
import { db } from "@/lib/db";
import { encodeKeysetCursor } from "@/lib/http/cursor";
import { createOrgWithGuild } from "~tests/helpers/applications";
import { explainCost } from "~tests/helpers/explain";

const ROWS = 4_000;
const DEPTH = 3_900;
let orgId = "";

// Each test seeds its own rows (the database is emptied between tests).
async function seed(): Promise<void> {
  const { organization } = await createOrgWithGuild();
  const other = await createOrgWithGuild();
  orgId = organization.id;
  for (const id of [organization.id, other.organization.id]) {
    await db.$executeRaw`
      INSERT INTO "Application" ("organizationId", "applicantDiscordId", "applicantName", "createdAt", "updatedAt")
      SELECT ${id}::uuid, (1200000000000000000 + i)::text, 'Applicant ' || i, now() - make_interval(secs => i), now()
      FROM generate_series(1, ${ROWS}) AS i`;
    await db.$executeRaw`
      INSERT INTO "AuditEvent" ("organizationId", action, outcome, "createdAt")
      SELECT ${id}::uuid, 'application.submit', 'SUCCESS', now() - make_interval(secs => i)
      FROM generate_series(1, ${ROWS}) AS i`;
  }
  await db.$executeRawUnsafe(`ANALYZE "Application"`);
  await db.$executeRawUnsafe(`ANALYZE "AuditEvent"`);
}

async function cursorAt(table: "Application" | "AuditEvent", offset: number): Promise<string> {
  const rows = await db.$queryRaw<{ createdAt: Date; id: string }[]>`
    SELECT "createdAt", id::text AS id FROM ${Prisma.raw(`"${table}"`)} WHERE "organizationId" = ${orgId}::uuid
    ORDER BY "createdAt" DESC, id DESC OFFSET ${offset} LIMIT 1`;
  return encodeKeysetCursor(rows[0]!);
}

describe("keyset pages", () => {
  it(`applications: ${DEPTH} rows deep reads about the buffers of the first page, and filters no row out`, async () => {
    await seed();
    const cursor = await cursorAt("Application", DEPTH);
    const first = await explainCost(db, applicationsPageQuery({ organizationId: orgId, limit: 25 }));
    const deep = await explainCost(db, applicationsPageQuery({ organizationId: orgId, limit: 25, cursor }));
    expect(deep.rowsRemovedByFilter).toBe(0);
    expect(deep.buffers).toBeLessThanOrEqual(first.buffers * 2 + 4);

    // The OR form it replaced, at the same depth: it reads (and discards) the newer rows.
    const [at] = await db.$queryRaw<{ createdAt: Date; id: string }[]>`
      SELECT "createdAt", id::text AS id FROM "Application" WHERE "organizationId" = ${orgId}::uuid ORDER BY "createdAt" DESC, id DESC OFFSET ${DEPTH} LIMIT 1`;
    const orForm = await explainCost(
      db,
      Prisma.sql`SELECT * FROM "Application" WHERE "organizationId" = ${orgId}::uuid
        AND ("createdAt" < ${at!.createdAt} OR ("createdAt" = ${at!.createdAt} AND id < ${at!.id}::uuid))
        ORDER BY "createdAt" DESC, id DESC LIMIT 26`,
    );
    // The planner may pick another plan for the OR form (a bitmap scan that filters nothing but reads more), so
    // only what every plan of it costs is asserted: more than the row-value bound reads.
    expect(orForm.buffers + orForm.rowsRemovedByFilter).toBeGreaterThan(deep.buffers);
  }, 120_000);

  it(`audit log: ${DEPTH} rows deep reads about the buffers of the first page`, async () => {
    await seed();
    const cursor = await cursorAt("AuditEvent", DEPTH);
    const first = await explainCost(db, auditPageQuery({ organizationId: orgId, limit: 50 }));
    const deep = await explainCost(db, auditPageQuery({ organizationId: orgId, limit: 50, cursor }));
    expect(deep.rowsRemovedByFilter).toBe(0);
    expect(deep.buffers).toBeLessThanOrEqual(first.buffers * 2 + 4);
  }, 120_000);
});
