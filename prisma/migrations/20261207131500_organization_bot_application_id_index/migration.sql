-- The per-application interactions endpoint (/api/discord/interactions/<id>) looks organizations up by application id
-- on every signed request, which without an index scanned the table.
-- (No semicolons in comments: the migration engine splits statements on them.)
CREATE INDEX "Organization_botApplicationId_idx" ON "Organization"("botApplicationId");
