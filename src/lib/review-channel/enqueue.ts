// Jobs that keep an application's message in the review channel true, always added inside the transaction of the
// change they show: the submission (post) and every transition (edit). One task does both: it posts when the
// message does not exist yet and edits it otherwise, so a decision taken before the first post still shows.
// The edit is a piece of every transition's statement (`reviewMessageEditEffect`, composed by the state machine).
import { Prisma } from "@/generated/prisma/client";
import type { Db, Tx } from "@/lib/db";
import { addJob, addJobSql, jobKey } from "@/lib/jobs/add-job";
import type { TransitionEffect } from "@/lib/statement";

export const SYNC_REVIEW_MESSAGE_TASK = "sync-review-message";
/** Attempts for Discord failures that may pass (5xx, network, timeouts); rate limits are waits, not attempts. */
export const REVIEW_MESSAGE_MAX_ATTEMPTS = 8;

/** The job key is the application: a waiting job is replaced, so a burst of transitions costs one edit. */
export const reviewMessageJobKey = jobKey("review-message");

export type SyncReviewMessagePayload = { applicationId: string; organizationId: string };

export type EnqueueReviewMessageOptions = { tx: Tx | Db; organizationId: string; applicationId: string; runAt?: Date };

export async function enqueueReviewMessageSync(options: EnqueueReviewMessageOptions): Promise<void> {
  const payload: SyncReviewMessagePayload = {
    applicationId: options.applicationId,
    organizationId: options.organizationId,
  };
  await addJob({
    tx: options.tx,
    identifier: SYNC_REVIEW_MESSAGE_TASK,
    payload,
    jobKey: reviewMessageJobKey.of(options.applicationId),
    maxAttempts: REVIEW_MESSAGE_MAX_ATTEMPTS,
    runAt: options.runAt,
  });
}

/**
 * Called in the submission's transaction: when the organization's guild has a review channel, the message row and
 * its post job. One statement for organizations without a channel. Never throws for Discord: nothing is called.
 */
export async function enqueueReviewPost(options: EnqueueReviewMessageOptions): Promise<boolean> {
  const rows = await options.tx.$queryRaw<{ id: string }[]>(Prisma.sql`
    INSERT INTO "ApplicationReviewMessage" ("applicationId", "organizationId", "channelId", "updatedAt")
    SELECT ${options.applicationId}::uuid, c."organizationId", c."reviewChannelId", now()
    FROM "DiscordConnection" c
    WHERE c."organizationId" = ${options.organizationId}::uuid AND c."state" = 'CONNECTED'
      AND c."reviewChannelId" IS NOT NULL
    ON CONFLICT ("applicationId") DO NOTHING
    RETURNING "id"::text AS id`);
  if (rows.length === 0) return false;
  await enqueueReviewMessageSync(options);
  return true;
}

/** Every transition: an edit job, only for an application that has a message. */
export const reviewMessageEditEffect: TransitionEffect = ({ moved }) => [
  {
    name: "review_job",
    counted: true,
    sql: Prisma.sql`SELECT ${addJobSql({
      identifier: SYNC_REVIEW_MESSAGE_TASK,
      payload: Prisma.sql`json_build_object('applicationId', m.id::text, 'organizationId', m."organizationId"::text)`,
      jobKey: reviewMessageJobKey.sql(Prisma.sql`m.id::text`),
      maxAttempts: REVIEW_MESSAGE_MAX_ATTEMPTS,
    })}
      FROM ${moved} m
      JOIN "ApplicationReviewMessage" r ON r."applicationId" = m.id AND r."organizationId" = m."organizationId"`,
  },
];
