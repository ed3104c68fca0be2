-- Issue 24 item 4: the approval DM waits for the role (HELD until the role is assigned), and a revocation has its
-- own message (its switch and template, like the approval's and rejection's).
ALTER TYPE "ApplicantMessageStatus" ADD VALUE 'HELD';

ALTER TABLE "ApplicantSettings" ADD COLUMN "dmOnRevoke" BOOLEAN NOT NULL DEFAULT true,
  ADD COLUMN "revokeTemplate" TEXT;
