// Each worker gets its own database, cloned from the migrated template; tables are emptied before every test.
// Test files import the app's `db` as usual: DATABASE_URL points at this worker's database before any app import.
import { afterAll, beforeEach, inject } from "vitest";
import { ensureDatabase } from "../../scripts/lib/embedded-postgres";
import { resetEnvCache } from "@/lib/env";

const { adminUrl, template } = inject("database");
const workerDatabase = `gg_test_w${process.env.VITEST_POOL_ID ?? "1"}`;
await ensureDatabase(adminUrl, workerDatabase, template);

const url = new URL(adminUrl);
url.pathname = `/${workerDatabase}`;
process.env.DATABASE_URL = url.toString();
resetEnvCache();

const { db, disconnectDb } = await import("@/lib/db");

let truncateSql: string | undefined;

/** Empties every application table (keeps the migration history). */
export async function resetDatabase(): Promise<void> {
  if (!truncateSql) {
    const tables = await db.$queryRaw<{ name: string }[]>`
      SELECT quote_ident(schemaname) || '.' || quote_ident(tablename) AS name FROM pg_tables
      WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`;
    truncateSql = `TRUNCATE ${tables.map((t) => t.name).join(", ")} RESTART IDENTITY CASCADE`;
  }
  await db.$executeRawUnsafe(truncateSql);
  // graphile-worker's jobs (its schema exists once a test migrated it); tasks stay, a running runner caches their ids.
  const [jobs] = await db.$queryRaw<{ present: boolean }[]>`
    SELECT to_regclass('graphile_worker._private_jobs') IS NOT NULL AS present`;
  if (jobs?.present) {
    await db.$executeRawUnsafe("TRUNCATE graphile_worker._private_jobs, graphile_worker._private_job_queues CASCADE");
  }
}

beforeEach(async () => {
  await resetDatabase();
});

afterAll(async () => {
  await disconnectDb();
});
