-- The member re-check window runs from the role attempt ("roleAttemptedAt"), as the dashboard shows it, not from
-- "updatedAt", which any later write to the row moves. The sweeper's re-check query ranges over "roleAttemptedAt",
-- so its index does too, with the query's conditions (status included) as its predicate.
-- (No semicolons in comments: the migration engine splits statements on them.)

DROP INDEX IF EXISTS "applications_member_recheck_idx";

CREATE INDEX "applications_member_recheck_idx" ON "Application" ("roleAttemptedAt")
  WHERE "roleAssignmentStatus" = 'FAILED' AND "roleErrorCode" = 'member_not_in_guild'
    AND "status" = 'APPROVED_ROLE_FAILED';
