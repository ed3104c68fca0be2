-- Review inside Discord (issue 15): the review channel and reviewer roles of a guild, the public key of an
-- organization's own bot application, and the message that presents each application in the review channel.
ALTER TABLE "Organization" ADD COLUMN "botPublicKey" TEXT;

ALTER TABLE "DiscordConnection" ADD COLUMN "reviewChannelId" TEXT,
  ADD COLUMN "reviewChannelName" TEXT,
  ADD COLUMN "reviewerRoleIds" TEXT[] DEFAULT ARRAY[]::TEXT[];

CREATE TABLE "ApplicationReviewMessage" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "applicationId" UUID NOT NULL,
    "organizationId" UUID NOT NULL,
    "channelId" TEXT NOT NULL,
    "messageId" TEXT,
    "postedAt" TIMESTAMPTZ(3),
    "shownVersion" INTEGER,
    "lastError" TEXT,
    "leaseUntil" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "ApplicationReviewMessage_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "ApplicationReviewMessage_applicationId_key" ON "ApplicationReviewMessage"("applicationId");
CREATE INDEX "ApplicationReviewMessage_organizationId_idx" ON "ApplicationReviewMessage"("organizationId");

ALTER TABLE "ApplicationReviewMessage" ADD CONSTRAINT "ApplicationReviewMessage_applicationId_fkey"
  FOREIGN KEY ("applicationId") REFERENCES "Application"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "ApplicationReviewMessage" ADD CONSTRAINT "ApplicationReviewMessage_organizationId_fkey"
  FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;
