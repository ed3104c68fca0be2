-- When the review message's first post was attempted. A later attempt that finds no message id saved looks for
-- that post in the channel's history from then on, because Discord's nonce dedupe lasts minutes and the job's
-- retries run for hours.
ALTER TABLE "ApplicationReviewMessage" ADD COLUMN "postAttemptedAt" TIMESTAMPTZ(3);
