// Decision messages are written and enqueued in the transaction of the decision itself (like the role job and the
// webhook outbox): the message exists exactly when the decision commits, and its text is rendered then, from the
// organization's template, so what the dashboard shows is what was sent. Sending is the notify-applicant job.
import { db, type Tx } from "@/lib/db";
import { addJob, jobKey } from "@/lib/jobs/add-job";
import { renderLogLine, renderTemplate, type DecisionEvent } from "./templates";

export const NOTIFY_APPLICANT_TASK = "notify-applicant";
/** graphile-worker's own retries (our task crashed: database down); Discord failures are counted on the row. */
export const NOTIFY_JOB_MAX_ATTEMPTS = 5;

export type NotifyApplicantPayload = { messageId: string; organizationId: string };

export type EnqueueDecisionMessagesOptions = {
  tx: Tx;
  organizationId: string;
  applicationId: string;
  event: DecisionEvent;
};

/** Writes the DM (and the log-channel post, when one is set) for a decision and enqueues a job for each. */
export async function enqueueDecisionMessages(options: EnqueueDecisionMessagesOptions): Promise<string[]> {
  const { tx, organizationId, applicationId, event } = options;
  // At most one relation per level in each read: inside a transaction, Prisma's query interpreter loads sibling
  // relations with concurrent queries on the transaction's one pg connection, which pg queues with a
  // DeprecationWarning and pg@9 refuses (prisma/orm#29407). The same round trips as one nested read, in turn.
  const application = await tx.application.findFirst({
    where: { id: applicationId, organizationId },
    select: {
      applicantDiscordId: true,
      applicantName: true,
      rejectReason: true,
      reviewedById: true,
      form: { select: { name: true } },
    },
  });
  if (!application) return [];
  const organization = await tx.organization.findUniqueOrThrow({
    where: { id: organizationId },
    select: { name: true, connection: { select: { guildName: true } } },
  });
  const settings = await tx.applicantSettings.findUnique({ where: { organizationId } });
  const values = {
    applicant: application.applicantName,
    server: organization.connection?.guildName ?? organization.name,
    form: application.form?.name ?? "Application",
    reason: event === "rejected" ? (application.rejectReason ?? "") : "",
  };
  const rows: { target: "dm" | "log"; content: string }[] = [];
  const dmOn = event === "approved" ? (settings?.dmOnApprove ?? true) : (settings?.dmOnReject ?? true);
  if (dmOn && application.applicantDiscordId) {
    const template = event === "approved" ? settings?.approveTemplate : settings?.rejectTemplate;
    rows.push({ target: "dm", content: renderTemplate({ template, event, values }) });
  }
  if (settings?.logChannelId) {
    const reviewedBy = application.reviewedById
      ? await tx.user.findUnique({ where: { id: application.reviewedById }, select: { name: true } })
      : null;
    const reviewer = reviewedBy?.name ?? "an administrator";
    rows.push({ target: "log", content: renderLogLine(event, { ...values, reviewer }) });
  }
  const ids: string[] = [];
  for (const row of rows) {
    const created = await tx.applicantMessage.createManyAndReturn({
      data: [{ organizationId, applicationId, event, ...row }],
      skipDuplicates: true,
      select: { id: true },
    });
    for (const { id } of created) {
      await enqueueNotifyJob({ tx, messageId: id, organizationId });
      ids.push(id);
    }
  }
  return ids;
}

export type EnqueueNotifyJobOptions = {
  tx: Parameters<typeof addJob>[0]["tx"];
  messageId: string;
  organizationId: string;
  runAt?: Date;
};

/** The job key is the message id: a retry or a rate-limit wait replaces the waiting job instead of adding one. */
export const notifyJobKey = jobKey("notify");

export async function enqueueNotifyJob(options: EnqueueNotifyJobOptions) {
  const payload: NotifyApplicantPayload = { messageId: options.messageId, organizationId: options.organizationId };
  return addJob({
    tx: options.tx,
    identifier: NOTIFY_APPLICANT_TASK,
    payload,
    jobKey: notifyJobKey.of(options.messageId),
    maxAttempts: NOTIFY_JOB_MAX_ATTEMPTS,
    runAt: options.runAt,
  });
}

export type ListApplicationMessagesOptions = { organizationId: string; applicationId: string };

/** The decision messages of one application, oldest first (the dashboard shows whether each reached Discord). */
export function listApplicationMessages({ organizationId, applicationId }: ListApplicationMessagesOptions) {
  return db.applicantMessage.findMany({
    where: { organizationId, applicationId },
    orderBy: { createdAt: "asc" },
    select: {
      id: true,
      target: true,
      event: true,
      content: true,
      status: true,
      errorCode: true,
      errorMessage: true,
      attempts: true,
      sentAt: true,
      createdAt: true,
    },
  });
}
