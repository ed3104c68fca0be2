// The scheduled clean-up deletes each class of expired data and keeps fresh rows, in bounded batches.
import { describe, expect, it } from "vitest";
import { Prisma } from "@/generated/prisma/client";
import { db } from "@/lib/db";
import { addJob } from "@/lib/jobs/add-job";
import { WORKER_CRONTAB } from "@/worker/start-worker";
import { runCleanup, type RetentionSettings } from "@/lib/maintenance/cleanup";
import { CLEANUP_TASK, createCleanupTasks } from "@/lib/maintenance/cleanup-task";
import { createOrgWithGuild } from "~tests/helpers/applications";

const DAY = 86_400_000;
const settings: RetentionSettings = {
  auditRetentionDays: 400,
  idempotencyKeyRetentionDays: 30,
  failedJobRetentionDays: 30,
  batchSize: 1_000,
  maxBatches: 100,
};
const ago = (days: number) => new Date(Date.now() - days * DAY);

async function user(name: string) {
  return db.user.create({
    data: { discordUserId: String(100_000_000_000_000_000n + BigInt(Math.floor(Math.random() * 1e9))), name },
  });
}

async function session(userId: string, expiresAt: Date) {
  return db.session.create({ data: { userId, tokenHash: `hash-${Math.random()}`, expiresAt } });
}

async function jobAged(options: { attempts: number; maxAttempts: number; updatedDaysAgo: number; locked?: boolean }) {
  const { id } = await addJob({ tx: db, identifier: "assign-role-member-recheck", payload: { n: Math.random() } });
  await db.$executeRaw(Prisma.sql`
    UPDATE graphile_worker._private_jobs
    SET attempts = ${options.attempts}, max_attempts = ${options.maxAttempts}, updated_at = ${ago(options.updatedDaysAgo)},
      locked_at = ${options.locked ? new Date() : null}, locked_by = ${options.locked ? "worker-x" : null}
    WHERE id = ${id}::bigint`);
  return id;
}

async function jobIds(): Promise<string[]> {
  const rows = await db.$queryRaw<{ id: string }[]>`SELECT id::text FROM graphile_worker._private_jobs ORDER BY id`;
  return rows.map((r) => r.id);
}

describe("runCleanup", () => {
  it("deletes expired sessions of every user, old audit events, expired state nonces, old idempotency keys and finished jobs; keeps the rest", async () => {
    const alice = await user("Alice");
    const bob = await user("Bob");
    const expiredA = await session(alice.id, ago(1));
    const expiredB = await session(bob.id, new Date(Date.now() - 1_000));
    const liveA = await session(alice.id, new Date(Date.now() + 10 * DAY));

    const { organization } = await createOrgWithGuild();
    const oldEvent = await db.auditEvent.create({
      data: { organizationId: organization.id, action: "x.old", outcome: "SUCCESS", createdAt: ago(401) },
    });
    const keptEvent = await db.auditEvent.create({
      data: { organizationId: organization.id, action: "x.kept", outcome: "SUCCESS", createdAt: ago(399) },
    });

    await db.oAuthStateNonce.create({ data: { jti: "expired-nonce", purpose: "apply", expiresAt: ago(0.01) } });
    await db.oAuthStateNonce.create({
      data: { jti: "live-nonce", purpose: "apply", expiresAt: new Date(Date.now() + 600_000) },
    });

    const applicant = await db.applicant.create({ data: { discordUserId: "1200000000000000200", name: "Alex" } });
    await db.applicantSession.create({ data: { applicantId: applicant.id, tokenHash: "old", expiresAt: ago(0.01) } });
    const liveApplicantSession = await db.applicantSession.create({
      data: { applicantId: applicant.id, tokenHash: "live", expiresAt: new Date(Date.now() + 600_000) },
    });

    const oldKey = await db.application.create({
      data: {
        organizationId: organization.id,
        applicantName: "A",
        idempotencyKey: "old-key",
        source: "API",
        createdAt: ago(31),
      },
    });
    const newKey = await db.application.create({
      data: {
        organizationId: organization.id,
        applicantName: "B",
        idempotencyKey: "new-key",
        source: "API",
        createdAt: ago(29),
      },
    });

    const finishedOld = await jobAged({ attempts: 5, maxAttempts: 5, updatedDaysAgo: 31 });
    const finishedRecent = await jobAged({ attempts: 5, maxAttempts: 5, updatedDaysAgo: 29 });
    const stillRetrying = await jobAged({ attempts: 2, maxAttempts: 5, updatedDaysAgo: 31 });
    const lockedFinished = await jobAged({ attempts: 5, maxAttempts: 5, updatedDaysAgo: 31, locked: true });

    const result = await runCleanup({ settings });

    expect(result).toEqual({
      expiredSessions: 2,
      expiredApplicantSessions: 1,
      expiredStateNonces: 1,
      auditEvents: 1,
      idempotencyKeys: 1,
      failedJobs: 1,
    });
    expect((await db.session.findMany({ orderBy: { id: "asc" } })).map((s) => s.id)).toEqual([liveA.id]);
    expect(await db.session.findUnique({ where: { id: expiredA.id } })).toBeNull();
    expect(await db.session.findUnique({ where: { id: expiredB.id } })).toBeNull();
    expect(await db.auditEvent.findUnique({ where: { id: oldEvent.id } })).toBeNull();
    expect(await db.auditEvent.findUnique({ where: { id: keptEvent.id } })).not.toBeNull();
    expect((await db.oAuthStateNonce.findMany()).map((n) => n.jti)).toEqual(["live-nonce"]);
    expect((await db.applicantSession.findMany()).map((s) => s.id)).toEqual([liveApplicantSession.id]);
    // The application stays; only its key is forgotten, without touching updatedAt.
    const cleared = await db.application.findUniqueOrThrow({ where: { id: oldKey.id } });
    expect(cleared.idempotencyKey).toBeNull();
    expect(cleared.updatedAt).toEqual(oldKey.updatedAt);
    expect((await db.application.findUniqueOrThrow({ where: { id: newKey.id } })).idempotencyKey).toBe("new-key");
    expect(await jobIds()).toEqual(
      [finishedRecent, stillRetrying, lockedFinished].sort((a, b) => Number(a) - Number(b)),
    );
    expect(await jobIds()).not.toContain(finishedOld);

    // Nothing left to do: a second run touches nothing.
    expect(await runCleanup({ settings })).toEqual({
      expiredSessions: 0,
      expiredApplicantSessions: 0,
      expiredStateNonces: 0,
      auditEvents: 0,
      idempotencyKeys: 0,
      failedJobs: 0,
    });
  });

  it("honours the audit retention setting", async () => {
    const { organization } = await createOrgWithGuild();
    await db.auditEvent.create({
      data: { organizationId: organization.id, action: "x", outcome: "SUCCESS", createdAt: ago(40) },
    });
    expect((await runCleanup({ settings: { ...settings, auditRetentionDays: 45 } })).auditEvents).toBe(0);
    expect((await runCleanup({ settings: { ...settings, auditRetentionDays: 30 } })).auditEvents).toBe(1);
  });

  it("works through a backlog in batches of the configured size, at most maxBatches per run", async () => {
    const carol = await user("Carol");
    await db.session.createMany({
      data: Array.from({ length: 25 }, (_, i) => ({ userId: carol.id, tokenHash: `backlog-${i}`, expiresAt: ago(2) })),
    });
    const first = await runCleanup({ settings: { ...settings, batchSize: 10, maxBatches: 2 } });
    expect(first.expiredSessions).toBe(20);
    expect(await db.session.count()).toBe(5);
    const second = await runCleanup({ settings: { ...settings, batchSize: 10, maxBatches: 2 } });
    expect(second.expiredSessions).toBe(5);
    expect(await db.session.count()).toBe(0);
  });
});

describe("the clean-up job", () => {
  it("is scheduled in the worker's crontab and runs as a task", async () => {
    expect(WORKER_CRONTAB.split("\n")).toContain(`17 * * * * ${CLEANUP_TASK}`);
    const carol = await user("Dave");
    await session(carol.id, ago(1));
    const tasks = createCleanupTasks();
    await tasks[CLEANUP_TASK]!({}, {} as never);
    expect(await db.session.count()).toBe(0);
  });
});
