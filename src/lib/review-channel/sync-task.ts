// The sync-review-message task: posts the application's message in the review channel, or edits it to show what
// changed. A lease on the row keeps two jobs from posting at once, and a job that runs again after Discord accepted
// its post adopts that message (postMessageOnce: the nonce within Discord's window, the channel's history past it)
// and edits it if it shows an older state. Failures never touch the application: rate
// limits are waited out without spending an attempt, failures that may pass are retried by graphile-worker
// (backoff, REVIEW_MESSAGE_MAX_ATTEMPTS), and permanent ones (no access to the channel, the message deleted) are
// recorded on the row and logged.
import { Prisma } from "@/generated/prisma/client";
import { checkStoredChannel } from "@/lib/bot-connection/guild-resources";
import { db } from "@/lib/db";
import {
  discordRateLimitWaitMs,
  isDiscordApiError,
  isDiscordNetworkError,
  isDiscordTimeoutError,
  tokenResolutionCode,
} from "@/lib/discord/errors";
import { getGuildDiscordClient } from "@/lib/discord/guild-client";
import { postMessageOnce } from "@/lib/discord/message-once";
import { messageNonce } from "@/lib/discord/message-nonce";
import { logger } from "@/lib/logger";
import { enqueueReviewMessageSync, type SyncReviewMessagePayload } from "./enqueue";
import { isReviewMessageOf, renderReviewMessage } from "./render";
import { loadReviewView } from "./view";

export type ReviewMessageSettings = {
  timeoutMs: number;
  /** How long a job holds the message at most (a crashed holder's lease runs out); a live one releases it at once. */
  leaseMs: number;
  /** A job that finds the message held looks again this soon: the holder may be showing an older state. */
  leaseRecheckMs: number;
};
export const DEFAULT_REVIEW_MESSAGE_SETTINGS: ReviewMessageSettings = {
  timeoutMs: 10_000,
  leaseMs: 30_000,
  leaseRecheckMs: 1_000,
};

/** Why a post or edit failed for good, in words for the settings page and the log. */
const PERMANENT: Record<number, string> = {
  10003: "The review channel no longer exists: pick another one in Settings.",
  10008: "The review message was deleted in Discord.",
  50001: "The bot cannot see the review channel: give it View Channel there.",
  50013: "The bot may not post in the review channel: give it Send Messages and Embed Links there.",
};

const NOT_IN_GUILD = "The review channel is not a text channel of the connected server: pick another one in Settings.";

type Outcome = { kind: "wait"; ms: number } | { kind: "retry" } | { kind: "give_up"; message: string };

/** By status and Discord's code (never by name or text): a 429 is a wait, 5xx and network errors a retry. */
export function classifyReviewMessageError(error: unknown): Outcome {
  const wait = discordRateLimitWaitMs(error);
  if (wait !== null) return { kind: "wait", ms: wait };
  if (isDiscordApiError(error)) {
    if (error.status >= 500) return { kind: "retry" };
    return {
      kind: "give_up",
      message: PERMANENT[error.code] ?? `Discord refused the message (HTTP ${error.status}, code ${error.code}).`,
    };
  }
  if (isDiscordTimeoutError(error) || isDiscordNetworkError(error)) return { kind: "retry" };
  // Token resolution: a suspended organization or an invalid token will not pass by retrying; an outage may.
  const code = tokenResolutionCode(error);
  if (code === "organization_suspended" || code === "bot_token_invalid" || code === "guild_not_connected")
    return { kind: "give_up", message: `The bot cannot be used (${code}).` };
  return { kind: "retry" };
}

async function takeLease(applicationId: string, leaseMs: number): Promise<boolean> {
  const count = await db.$executeRaw(Prisma.sql`
    UPDATE "ApplicationReviewMessage" SET "leaseUntil" = now() + ${`${leaseMs} milliseconds`}::interval
    WHERE "applicationId" = ${applicationId}::uuid AND ("leaseUntil" IS NULL OR "leaseUntil" < now())`);
  return count === 1;
}

export async function runSyncReviewMessage(
  payload: SyncReviewMessagePayload,
  settings: ReviewMessageSettings = DEFAULT_REVIEW_MESSAGE_SETTINGS,
): Promise<void> {
  const { applicationId, organizationId } = payload;
  const row = await db.applicationReviewMessage.findFirst({ where: { applicationId, organizationId } });
  if (!row) return;
  if (!(await takeLease(applicationId, settings.leaseMs))) {
    // Another job holds the message, perhaps showing the state before this job's change: look again shortly (a wait,
    // not an attempt). A live holder releases it within its one Discord call; a crashed one's lease runs out.
    const wait = Math.min(settings.leaseMs, settings.leaseRecheckMs);
    await enqueueReviewMessageSync({ tx: db, ...payload, runAt: new Date(Date.now() + wait) });
    return;
  }
  try {
    await sync(row, payload, settings);
  } finally {
    await db.applicationReviewMessage.updateMany({ where: { applicationId }, data: { leaseUntil: null } });
  }
}

type Row = { channelId: string; messageId: string | null; shownVersion: number | null; postAttemptedAt: Date | null };

async function sync(row: Row, payload: SyncReviewMessagePayload, settings: ReviewMessageSettings): Promise<void> {
  const { applicationId, organizationId } = payload;
  const loaded = await loadReviewView({ organizationId, applicationId });
  if (!loaded) return;
  if (row.messageId && row.shownVersion !== null && row.shownVersion >= loaded.version) return;
  const connection = await db.discordConnection.findUnique({
    where: { organizationId },
    select: { guildId: true, state: true },
  });
  if (!connection?.guildId || connection.state !== "CONNECTED") {
    await recordError(applicationId, "The bot is not connected to a Discord server.");
    return;
  }
  const body = renderReviewMessage(loaded.view);
  try {
    // The channel stored with the row is checked again: it may be gone, or be another guild's (a reconnect to
    // another server keeps the setting, and the platform bot is in many guilds).
    const channel = await checkStoredChannel({
      organizationId,
      guildId: connection.guildId,
      channelId: row.channelId,
      use: "review",
    });
    if (!channel) {
      await recordError(applicationId, NOT_IN_GUILD);
      logger.warn({ applicationId, organizationId, problem: NOT_IN_GUILD }, "review message not posted");
      return;
    }
    const { client } = await getGuildDiscordClient({ guildId: channel.guildId, timeoutMs: settings.timeoutMs });
    if (!row.messageId) {
      // One post per application: an earlier attempt may have reached Discord (its answer lost, or the job died
      // before saving the id), so a later one adopts that message, edited to this body if it shows another state.
      if (!row.postAttemptedAt)
        await db.applicationReviewMessage.update({ where: { applicationId }, data: { postAttemptedAt: new Date() } });
      const { messageId } = await postMessageOnce({
        client,
        channelId: channel.id,
        body,
        nonce: messageNonce({ kind: "review-post", id: applicationId }),
        earlierAttemptAt: row.postAttemptedAt,
        isOurs: (message) => isReviewMessageOf(applicationId, message),
      });
      await db.applicationReviewMessage.update({
        where: { applicationId },
        data: { messageId, postedAt: new Date(), shownVersion: loaded.version, lastError: null },
      });
    } else {
      await client.editMessage(channel.id, row.messageId, body);
      await db.applicationReviewMessage.update({
        where: { applicationId },
        data: { shownVersion: loaded.version, lastError: null },
      });
    }
  } catch (error) {
    const outcome = classifyReviewMessageError(error);
    if (outcome.kind === "wait") {
      await enqueueReviewMessageSync({ tx: db, ...payload, runAt: new Date(Date.now() + outcome.ms) });
      return;
    }
    if (outcome.kind === "retry") throw error;
    await recordError(applicationId, outcome.message);
    logger.warn({ applicationId, organizationId, problem: outcome.message }, "review message not posted");
    return;
  }
  // A transition that committed while we called Discord enqueued its own job; this one only makes sure.
  const now = await db.application.findUnique({ where: { id: applicationId }, select: { version: true } });
  if (now && now.version > loaded.version) await enqueueReviewMessageSync({ tx: db, ...payload });
}

async function recordError(applicationId: string, message: string): Promise<void> {
  await db.applicationReviewMessage.updateMany({ where: { applicationId }, data: { lastError: message } });
}
