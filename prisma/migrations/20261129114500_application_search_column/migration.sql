-- Search text stored instead of computed per row: when the planner walks the (organizationId, status, createdAt)
-- index and filters (a term it expects to be common), each row's check is a LIKE on stored text, not a jsonpath
-- evaluation of the answers. The trigram index moves onto the column.
ALTER TABLE "Application"
  ADD COLUMN "searchText" TEXT GENERATED ALWAYS AS (application_search_text("applicantName", "applicantDiscordId", "answers")) STORED;

DROP INDEX "applications_search_trgm_idx";

CREATE INDEX "applications_search_trgm_idx" ON "Application" USING GIN ("searchText" gin_trgm_ops);
