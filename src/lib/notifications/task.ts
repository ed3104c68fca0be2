// The notify-applicant job: sends one decision message (rendered when the decision committed) and records what
// happened on its row and in the audit log. It is apart from the role job: a message that cannot be delivered
// (DMs closed: 50007) is recorded as NOT_DELIVERED and never touches the application's state. Transient failures
// (5xx, timeouts, network) are retried with backoff up to `maxAttempts`; a rate limit is a wait, not an attempt.
import type { TaskList } from "graphile-worker";
import { recordAudit } from "@/lib/audit/record-audit";
import { checkDmRecipient, checkStoredChannel } from "@/lib/bot-connection/guild-resources";
import { db } from "@/lib/db";
import { messageNonce } from "@/lib/discord/message-nonce";
import { logger } from "@/lib/logger";
import { enqueueNotifyJob, NOTIFY_APPLICANT_TASK, type NotifyApplicantPayload } from "./enqueue";
import { classifyMessageError, MESSAGE_FAILURES, messageRateLimitWaitMs, type MessageFailure } from "./failures";
import type { MessageSender } from "./sender";

export type NotificationSettings = {
  sender: MessageSender;
  maxAttempts: number;
  /** Backoff before attempt n+1: base * 2^(n-1), capped, with equal jitter. */
  backoffBaseMs: number;
  backoffMaxMs: number;
};

export const DEFAULT_NOTIFICATION_TIMINGS = {
  maxAttempts: 5,
  backoffBaseMs: 2_000,
  backoffMaxMs: 60_000,
  timeoutMs: 10_000,
};

type Claimed = {
  id: string;
  organizationId: string;
  applicationId: string;
  target: string;
  event: string;
  content: string;
  attempts: number;
  createdAt: Date;
};

function backoff(settings: NotificationSettings, attempt: number): number {
  const ceiling = Math.min(settings.backoffMaxMs, settings.backoffBaseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}

/** Counts the attempt before calling Discord (a crash mid-call still spends one); null unless still PENDING. */
async function claim(payload: NotifyApplicantPayload): Promise<Claimed | null> {
  const rows = await db.$queryRaw<Claimed[]>`
    UPDATE "ApplicantMessage" SET attempts = attempts + 1, "updatedAt" = now()
    WHERE id = ${payload.messageId}::uuid AND "organizationId" = ${payload.organizationId}::uuid AND status = 'PENDING'
    RETURNING id::text, "organizationId"::text AS "organizationId", "applicationId"::text AS "applicationId", target, event, content, attempts, "createdAt"`;
  return rows[0] ?? null;
}

export async function runNotifyApplicant(
  payload: NotifyApplicantPayload,
  settings: NotificationSettings,
): Promise<void> {
  const message = await claim(payload);
  if (!message) return;
  const application = await db.application.findFirst({
    where: { id: message.applicationId, organizationId: message.organizationId },
    select: {
      applicantDiscordId: true,
      source: true,
      organization: {
        select: {
          connection: { select: { guildId: true, state: true } },
          applicantSettings: { select: { logChannelId: true } },
        },
      },
    },
  });
  const guildId = application?.organization.connection?.guildId ?? null;
  // The row is the message: every run for it sends the same nonce (Discord dedupes a rerun after an accepted post).
  const nonce = messageNonce({ kind: "applicant-message", id: message.id });
  // Any attempt but the first may follow one that reached Discord (answer lost, or the job died): past the nonce's
  // window only a look at the channel finds that post, so the sender looks from when the message was written.
  const earlierAttemptSince = message.attempts > 1 ? message.createdAt : null;
  const connected = guildId && application?.organization.connection?.state !== "DISCONNECTED";
  try {
    if (!application || !connected) {
      await finish(message, { code: "bot_unavailable", transient: false, detail: "no connected guild" });
      return;
    }
    let discordMessageId: string;
    if (message.target === "dm") {
      if (!application.applicantDiscordId) {
        await finish(message, { code: "unknown_user", transient: false, detail: "no Discord id" });
        return;
      }
      // The id of an API submission is only the tenant's word: DM it only if that user is in the guild.
      const recipient = await checkDmRecipient({
        guildId: guildId!,
        userId: application.applicantDiscordId,
        signedIn: application.source === "WEB",
      });
      if (!recipient) {
        await finish(message, {
          code: "recipient_not_verified",
          transient: false,
          detail: "not signed in, not a member",
        });
        return;
      }
      ({ messageId: discordMessageId } = await settings.sender.sendDirect({
        recipient,
        content: message.content,
        nonce,
        earlierAttemptSince,
      }));
    } else {
      // The channel as set now: a log channel changed since the decision gets the post.
      const channelId = application.organization.applicantSettings?.logChannelId;
      if (!channelId) {
        await finish(message, { code: "channel_missing", transient: false, detail: "no log channel set" });
        return;
      }
      // Checked again now: the channel may be gone, or stored before channels were checked (issue 23).
      const channel = await checkStoredChannel({
        organizationId: message.organizationId,
        guildId: guildId!,
        channelId,
        use: "log",
      });
      if (!channel) {
        await finish(message, { code: "channel_not_in_guild", transient: false, detail: "not a channel of the guild" });
        return;
      }
      ({ messageId: discordMessageId } = await settings.sender.postToChannel({
        channel,
        content: message.content,
        nonce,
        earlierAttemptSince,
      }));
    }
    await finish(message, null, discordMessageId);
  } catch (error) {
    const wait = messageRateLimitWaitMs(error);
    if (wait !== null) {
      // A wait, not an attempt: the attempt is given back and the job returns after the wait (plus jitter).
      const runAt = new Date(Date.now() + wait + Math.round(Math.random() * Math.min(1_000, wait / 10)));
      await db.$transaction(async (tx) => {
        await tx.applicantMessage.updateMany({
          where: { id: message.id, status: "PENDING" },
          data: { attempts: { decrement: 1 } },
        });
        await enqueueNotifyJob({ tx, messageId: message.id, organizationId: message.organizationId, runAt });
      });
      return;
    }
    const failure = classifyMessageError(error);
    if (failure.transient && message.attempts < settings.maxAttempts) {
      await db.$transaction(async (tx) => {
        await tx.applicantMessage.updateMany({
          where: { id: message.id, status: "PENDING" },
          data: { errorCode: failure.code, errorMessage: MESSAGE_FAILURES[failure.code] },
        });
        await enqueueNotifyJob({
          tx,
          messageId: message.id,
          organizationId: message.organizationId,
          runAt: new Date(Date.now() + backoff(settings, message.attempts)),
        });
      });
      return;
    }
    await finish(message, failure);
  }
}

/** The final state and its audit row, together. */
async function finish(message: Claimed, failure: MessageFailure | null, discordMessageId?: string): Promise<void> {
  const status = !failure ? "SENT" : failure.transient ? "FAILED" : "NOT_DELIVERED";
  if (failure)
    logger.info({ messageId: message.id, code: failure.code, detail: failure.detail }, "decision message not sent");
  await db.$transaction(async (tx) => {
    const { count } = await tx.applicantMessage.updateMany({
      where: { id: message.id, status: "PENDING" },
      data: {
        status,
        errorCode: failure?.code ?? null,
        errorMessage: failure ? MESSAGE_FAILURES[failure.code] : null,
        discordMessageId: discordMessageId ?? null,
        sentAt: failure ? null : new Date(),
      },
    });
    if (count !== 1) return;
    await recordAudit({
      db: tx,
      organizationId: message.organizationId,
      action: failure ? "application.message_not_delivered" : "application.message_sent",
      targetType: "application",
      targetId: message.applicationId,
      outcome: failure ? "FAILED" : "SUCCESS",
      metadata: {
        actor: "system",
        target: message.target,
        event: message.event,
        attempts: message.attempts,
        ...(failure ? { code: failure.code, detail: failure.detail } : {}),
      },
    });
  });
}

export function createNotificationTasks(settings: NotificationSettings): TaskList {
  return {
    [NOTIFY_APPLICANT_TASK]: async (payload) => runNotifyApplicant(payload as NotifyApplicantPayload, settings),
  };
}
