// An admin sends a failed decision message again (Discord kept failing, or refused it: DMs closed, no permission,
// the bot disconnected, and the cause is fixed since). The same row, text and nonce: the notify-applicant job runs
// it afresh (attempts from zero), so a resend of a message Discord did accept within its nonce window gets that
// message back instead of a second one. One conditional update with its audit row and job, in one transaction: two
// clicks (or a retried request) resend once, and a delivered message is never sent twice (409 message_already_sent).
import type { ApplicantMessageStatus } from "@/generated/prisma/enums";
import { recordAudit } from "@/lib/audit/record-audit";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors/app-error";
import { isUuid } from "@/lib/http/input";
import { enqueueNotifyJob } from "./enqueue";
import { ROLE_DELAYED_EVENT } from "./transition-messages";

const RESENDABLE: readonly ApplicantMessageStatus[] = ["FAILED", "NOT_DELIVERED"];

export type ResendMessageOptions = {
  organizationId: string;
  applicationId: string;
  messageId: string;
  actorId: string;
  ip?: string | null;
};

export type ResentMessage = { id: string; status: ApplicantMessageStatus };

export async function resendMessage(options: ResendMessageOptions): Promise<ResentMessage> {
  const { organizationId, applicationId, messageId, actorId } = options;
  return db.$transaction(async (tx) => {
    const where = { id: messageId, organizationId, applicationId };
    const message =
      isUuid(messageId) && isUuid(applicationId)
        ? await tx.applicantMessage.findFirst({
            where,
            select: { status: true, target: true, event: true, errorCode: true, attempts: true },
          })
        : null;
    if (!message) throw new AppError("not_found", "No such message.");
    if (message.status === "SENT")
      throw new AppError("message_already_sent", "This message was delivered; it is not sent twice.");
    if (!RESENDABLE.includes(message.status))
      throw new AppError(
        "message_not_failed",
        message.status === "HELD"
          ? "This message waits for the applicant's role; it goes when the role is assigned."
          : "This message is being sent already.",
        { details: { status: message.status } },
      );
    if (message.event === ROLE_DELAYED_EVENT) {
      const application = await tx.application.findFirst({
        where: { id: applicationId, organizationId },
        select: { status: true },
      });
      if (application?.status !== "APPROVED_ROLE_FAILED" && application?.status !== "APPROVED_PENDING_ROLE")
        throw new AppError(
          "message_outdated",
          "The role was given or the approval ended since: this note is out of date.",
          {
            details: { applicationStatus: application?.status ?? null },
          },
        );
    }
    // Conditional on what was read: of two resends racing, the second finds it PENDING and changes nothing.
    const { count } = await tx.applicantMessage.updateMany({
      where: { ...where, status: message.status, attempts: message.attempts },
      data: { status: "PENDING", attempts: 0, errorCode: null, errorMessage: null },
    });
    if (count !== 1) throw new AppError("message_not_failed", "This message is being sent already.");
    await recordAudit({
      db: tx,
      organizationId,
      actor: { userId: actorId },
      action: "application.message_resent",
      targetType: "application",
      targetId: applicationId,
      outcome: "SUCCESS",
      metadata: {
        messageId,
        target: message.target,
        event: message.event,
        previousStatus: message.status,
        previousError: message.errorCode,
      },
      ip: options.ip ?? null,
    });
    await enqueueNotifyJob({ tx, messageId, organizationId });
    return { id: messageId, status: "PENDING" as const };
  });
}
