-- Role jobs without a graphile-worker queue per guild (issue 18 item 1): the per-guild order and Discord's
-- member-role limit come from GuildRoleSchedule. Dead runners are recognised through JobWorker heartbeats
-- (issue 10 item 6). The sweeper's member re-check query gets an index that serves it (issue 18 item 4).
-- (No semicolons in comments: the migration engine splits statements on them.)

CREATE TABLE "GuildRoleSchedule" (
    "guildId" TEXT NOT NULL,
    "windowStart" TIMESTAMPTZ(3) NOT NULL,
    "used" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "GuildRoleSchedule_pkey" PRIMARY KEY ("guildId")
);

CREATE TABLE "JobWorker" (
    "id" TEXT NOT NULL,
    "startedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "JobWorker_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "JobWorker_lastSeenAt_idx" ON "JobWorker"("lastSeenAt");

-- The sweeper's "member_not_in_guild failures still inside their re-check window" (read every minute).
CREATE INDEX "applications_member_recheck_idx" ON "Application" ("updatedAt")
  WHERE "roleAssignmentStatus" = 'FAILED' AND "roleErrorCode" = 'member_not_in_guild';

-- The per-guild and per-organization queues of earlier versions are cleaned up in src/lib/jobs/migrate.ts right
-- after graphile-worker migrates its own schema (it creates that schema at run time, and this migration engine
-- splits statements on semicolons, so a conditional DO block cannot run here).
