// The scheduled clean-up: rows past their life are removed in bounded batches. Each batch is one short statement
// (its own transaction) over at most `batchSize` rows picked with SKIP LOCKED, so a large backlog never holds long
// locks or waits on rows in use; a run stops after `maxBatches` per class and the next run continues.
import { Prisma } from "@/generated/prisma/client";
import { db } from "@/lib/db";
import { env } from "@/lib/env";

const DAY_MS = 86_400_000;

export type RetentionSettings = {
  auditRetentionDays: number;
  idempotencyKeyRetentionDays: number;
  failedJobRetentionDays: number;
  batchSize: number;
  /** Batches per class per run. */
  maxBatches: number;
};

export function retentionFromEnv(): RetentionSettings {
  return {
    auditRetentionDays: env.AUDIT_RETENTION_DAYS,
    idempotencyKeyRetentionDays: env.IDEMPOTENCY_KEY_RETENTION_DAYS,
    failedJobRetentionDays: env.FAILED_JOB_RETENTION_DAYS,
    batchSize: env.CLEANUP_BATCH_SIZE,
    maxBatches: 100,
  };
}

export type CleanupResult = {
  expiredSessions: number;
  expiredApplicantSessions: number;
  expiredStateNonces: number;
  auditEvents: number;
  idempotencyKeys: number;
  failedJobs: number;
};

export type RunCleanupOptions = { settings?: RetentionSettings; now?: Date };

/** One statement per batch; returns how many rows it touched. Repeats until a batch is short or the cap. */
async function inBatches(settings: RetentionSettings, statement: (limit: number) => Prisma.Sql): Promise<number> {
  let total = 0;
  for (let batch = 0; batch < settings.maxBatches; batch++) {
    const count = await db.$executeRaw(statement(settings.batchSize));
    total += count;
    if (count < settings.batchSize) break;
  }
  return total;
}

async function jobTableExists(): Promise<boolean> {
  const [row] = await db.$queryRaw<{ present: boolean }[]>`
    SELECT to_regclass('graphile_worker._private_jobs') IS NOT NULL AS present`;
  return row?.present ?? false;
}

export async function runCleanup(options: RunCleanupOptions = {}): Promise<CleanupResult> {
  const settings = options.settings ?? retentionFromEnv();
  const now = options.now ?? new Date();
  const before = (days: number) => new Date(now.getTime() - days * DAY_MS);

  // Sessions of every user past their expiry (sign-in only clears the signing-in user's own).
  const expiredSessions = await inBatches(
    settings,
    (limit) => Prisma.sql`
    DELETE FROM "Session" WHERE id IN (
      SELECT id FROM "Session" WHERE "expiresAt" < ${now} ORDER BY "expiresAt" LIMIT ${limit} FOR UPDATE SKIP LOCKED)`,
  );

  // Applicants' sessions past their expiry (issue 14; a sign-out deletes its own at once).
  const expiredApplicantSessions = await inBatches(
    settings,
    (limit) => Prisma.sql`
    DELETE FROM "ApplicantSession" WHERE id IN (
      SELECT id FROM "ApplicantSession" WHERE "expiresAt" < ${now} ORDER BY "expiresAt" LIMIT ${limit} FOR UPDATE SKIP LOCKED)`,
  );

  // Consumed OAuth state ids (sign-in, bot connect, apply) whose state can no longer verify.
  const expiredStateNonces = await inBatches(
    settings,
    (limit) => Prisma.sql`
    DELETE FROM "OAuthStateNonce" WHERE jti IN (
      SELECT jti FROM "OAuthStateNonce" WHERE "expiresAt" < ${now} ORDER BY "expiresAt" LIMIT ${limit} FOR UPDATE SKIP LOCKED)`,
  );

  const auditCutoff = before(settings.auditRetentionDays);
  const auditEvents = await inBatches(
    settings,
    (limit) => Prisma.sql`
    DELETE FROM "AuditEvent" WHERE id IN (
      SELECT id FROM "AuditEvent" WHERE "createdAt" < ${auditCutoff} ORDER BY "createdAt" LIMIT ${limit} FOR UPDATE SKIP LOCKED)`,
  );

  // The application stays; only its key is forgotten, so a retry with that key after the window creates a new one.
  // Raw SQL: no updatedAt bump, the application's own history is unchanged.
  const keyCutoff = before(settings.idempotencyKeyRetentionDays);
  const idempotencyKeys = await inBatches(
    settings,
    (limit) => Prisma.sql`
    UPDATE "Application" SET "idempotencyKey" = NULL WHERE id IN (
      SELECT id FROM "Application" WHERE "idempotencyKey" IS NOT NULL AND "createdAt" < ${keyCutoff}
      ORDER BY "createdAt" LIMIT ${limit} FOR NO KEY UPDATE SKIP LOCKED)`,
  );

  // graphile-worker deletes a job when it succeeds; one that used all its attempts (a re-check whose window
  // ended, a role job that kept failing) stays for inspection until the retention passes. Never a locked one.
  let failedJobs = 0;
  if (await jobTableExists()) {
    const jobCutoff = before(settings.failedJobRetentionDays);
    failedJobs = await inBatches(
      settings,
      (limit) => Prisma.sql`
      DELETE FROM graphile_worker._private_jobs WHERE id IN (
        SELECT id FROM graphile_worker._private_jobs
        WHERE attempts >= max_attempts AND locked_at IS NULL AND updated_at < ${jobCutoff}
        ORDER BY id LIMIT ${limit} FOR UPDATE SKIP LOCKED)`,
    );
  }

  return { expiredSessions, expiredApplicantSessions, expiredStateNonces, auditEvents, idempotencyKeys, failedJobs };
}
