-- Issue 14: decisions with reasons, messages to applicants, applicant identities and sessions, who may apply.

-- CreateEnum
CREATE TYPE "ApplicantMessageStatus" AS ENUM ('PENDING', 'SENT', 'NOT_DELIVERED', 'FAILED');

-- AlterTable
ALTER TABLE "Application" ADD COLUMN "rejectReason" TEXT;

-- AlterTable
ALTER TABLE "ApplicationForm" ADD COLUMN "minAccountAgeDays" INTEGER,
ADD COLUMN "rejectCooldownDays" INTEGER;

-- CreateTable
CREATE TABLE "ApplicantSettings" (
    "organizationId" UUID NOT NULL,
    "rejectReasonRequired" BOOLEAN NOT NULL DEFAULT false,
    "dmOnApprove" BOOLEAN NOT NULL DEFAULT true,
    "dmOnReject" BOOLEAN NOT NULL DEFAULT true,
    "approveTemplate" TEXT,
    "rejectTemplate" TEXT,
    "logChannelId" TEXT,
    "inviteUrl" TEXT,
    "minAccountAgeDays" INTEGER NOT NULL DEFAULT 0,
    "rejectCooldownDays" INTEGER NOT NULL DEFAULT 0,
    "blockedUserIds" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ApplicantSettings_pkey" PRIMARY KEY ("organizationId")
);

-- CreateTable
CREATE TABLE "Applicant" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "discordUserId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "lastSignInAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Applicant_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApplicantSession" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "tokenHash" TEXT NOT NULL,
    "applicantId" UUID NOT NULL,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ApplicantSession_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApplicantMessage" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organizationId" UUID NOT NULL,
    "applicationId" UUID NOT NULL,
    "target" TEXT NOT NULL,
    "event" TEXT NOT NULL,
    "content" TEXT NOT NULL,
    "status" "ApplicantMessageStatus" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "errorCode" TEXT,
    "errorMessage" TEXT,
    "discordMessageId" TEXT,
    "sentAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ApplicantMessage_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Applicant_discordUserId_key" ON "Applicant"("discordUserId");

-- CreateIndex
CREATE UNIQUE INDEX "ApplicantSession_tokenHash_key" ON "ApplicantSession"("tokenHash");

-- CreateIndex
CREATE INDEX "ApplicantSession_applicantId_idx" ON "ApplicantSession"("applicantId");

-- CreateIndex
CREATE INDEX "ApplicantSession_expiresAt_idx" ON "ApplicantSession"("expiresAt");

-- CreateIndex
CREATE INDEX "ApplicantMessage_organizationId_createdAt_idx" ON "ApplicantMessage"("organizationId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "ApplicantMessage_applicationId_target_event_key" ON "ApplicantMessage"("applicationId", "target", "event");

-- The cooldown check reads an applicant's latest rejection per form.
CREATE INDEX "applications_applicant_form_idx" ON "Application"("organizationId", "applicantDiscordId", "formId", "createdAt" DESC);

-- AddForeignKey
ALTER TABLE "ApplicantSettings" ADD CONSTRAINT "ApplicantSettings_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApplicantSession" ADD CONSTRAINT "ApplicantSession_applicantId_fkey" FOREIGN KEY ("applicantId") REFERENCES "Applicant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApplicantMessage" ADD CONSTRAINT "ApplicantMessage_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApplicantMessage" ADD CONSTRAINT "ApplicantMessage_applicationId_fkey" FOREIGN KEY ("applicationId") REFERENCES "Application"("id") ON DELETE CASCADE ON UPDATE CASCADE;
