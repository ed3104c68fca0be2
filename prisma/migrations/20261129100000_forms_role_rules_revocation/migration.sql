-- Issue 13: several forms per organization, role rules per form, revocation.
-- Existing data moves into the default form of each organization (slug apply): its questions (with keys question_1,
-- question_2, ... in their order) and its applications, and the approved role of the connection becomes the form
-- approval rule.

-- AlterEnum (the new values are not used below, so this is safe inside the migration transaction)
ALTER TYPE "ApplicationStatus" ADD VALUE IF NOT EXISTS 'REVOKED_PENDING_ROLE_REMOVAL';
ALTER TYPE "ApplicationStatus" ADD VALUE IF NOT EXISTS 'REVOKED';
ALTER TYPE "ApplicationStatus" ADD VALUE IF NOT EXISTS 'REVOKED_ROLE_REMOVAL_FAILED';
ALTER TYPE "QuestionKind" ADD VALUE IF NOT EXISTS 'MULTIPLE_CHOICE';
ALTER TYPE "QuestionKind" ADD VALUE IF NOT EXISTS 'NUMBER';
ALTER TYPE "QuestionKind" ADD VALUE IF NOT EXISTS 'URL';

-- CreateTable
CREATE TABLE "ApplicationForm" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organizationId" UUID NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "isOpen" BOOLEAN NOT NULL DEFAULT true,
    "isDefault" BOOLEAN NOT NULL DEFAULT false,
    "position" INTEGER NOT NULL DEFAULT 0,
    "approveAddRoleIds" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "approveRemoveRoleIds" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "rejectAddRoleId" TEXT,
    "restoreOnRevoke" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ApplicationForm_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "ApplicationForm_organizationId_slug_key" ON "ApplicationForm"("organizationId", "slug");
CREATE INDEX "ApplicationForm_organizationId_position_idx" ON "ApplicationForm"("organizationId", "position");
ALTER TABLE "ApplicationForm" ADD CONSTRAINT "ApplicationForm_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;
-- One default form per organization.
CREATE UNIQUE INDEX "application_forms_one_default" ON "ApplicationForm" ("organizationId") WHERE "isDefault";

-- AlterTable
ALTER TABLE "ApplicationQuestion" ADD COLUMN "formId" UUID,
ADD COLUMN "key" TEXT,
ADD COLUMN "helpText" TEXT,
ADD COLUMN "minLength" INTEGER,
ADD COLUMN "minValue" DOUBLE PRECISION,
ADD COLUMN "maxValue" DOUBLE PRECISION;

ALTER TABLE "Application" ADD COLUMN "formId" UUID,
ADD COLUMN "roleRule" JSONB,
ADD COLUMN "roleOutcomes" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN "roleHandledManuallyAt" TIMESTAMPTZ(3),
ADD COLUMN "revokedAt" TIMESTAMPTZ(3),
ADD COLUMN "revokedById" UUID,
ADD COLUMN "revokeReason" TEXT;

-- Data: a default form for every organization, its rule from the approved role of the connection.
INSERT INTO "ApplicationForm" ("organizationId", "slug", "name", "isDefault", "approveAddRoleIds", "updatedAt")
SELECT o.id, 'apply', 'Application', true,
       CASE WHEN c."approvedRoleId" IS NULL THEN ARRAY[]::TEXT[] ELSE ARRAY[c."approvedRoleId"] END,
       CURRENT_TIMESTAMP
FROM "Organization" o LEFT JOIN "DiscordConnection" c ON c."organizationId" = o.id;

UPDATE "ApplicationQuestion" q
SET "formId" = f.id, "key" = 'question_' || n.rank
FROM "ApplicationForm" f,
     (SELECT id, row_number() OVER (PARTITION BY "organizationId" ORDER BY position, "createdAt", id) AS rank FROM "ApplicationQuestion") n
WHERE f."organizationId" = q."organizationId" AND f."isDefault" AND n.id = q.id;

UPDATE "Application" a SET "formId" = f.id
FROM "ApplicationForm" f WHERE f."organizationId" = a."organizationId" AND f."isDefault";

ALTER TABLE "ApplicationQuestion" ALTER COLUMN "formId" SET NOT NULL, ALTER COLUMN "key" SET NOT NULL;
CREATE INDEX "ApplicationQuestion_formId_position_idx" ON "ApplicationQuestion"("formId", "position");
ALTER TABLE "ApplicationQuestion" ADD CONSTRAINT "ApplicationQuestion_formId_fkey" FOREIGN KEY ("formId") REFERENCES "ApplicationForm"("id") ON DELETE CASCADE ON UPDATE CASCADE;
CREATE UNIQUE INDEX "application_questions_form_key" ON "ApplicationQuestion" ("formId", "key") WHERE "archivedAt" IS NULL;

ALTER TABLE "Application" ADD CONSTRAINT "Application_formId_fkey" FOREIGN KEY ("formId") REFERENCES "ApplicationForm"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- One open application per applicant and form (an applicant may apply to the member and the staff form at once).
DROP INDEX "applications_open_per_applicant";
CREATE UNIQUE INDEX "applications_open_per_applicant" ON "Application" ("organizationId", "formId", "applicantDiscordId") NULLS NOT DISTINCT
  WHERE "status" = 'PENDING' AND "applicantDiscordId" IS NOT NULL;
