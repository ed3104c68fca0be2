// Decision messages are written and enqueued in the transaction of the decision itself (like the role job and the
// webhook outbox): the message exists exactly when the decision commits, and its text is rendered then, from the
// organization's template, so what the dashboard shows is what was sent. Sending is the notify-applicant job.
import { db, type Tx } from "@/lib/db";
import { addJob, jobKey } from "@/lib/jobs/add-job";
import { renderLogLine, renderRoleDelayed, renderTemplate, type DecisionEvent } from "./templates";

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

/** Per decision: the applicant settings' switch and template for its DM, and the application's reason field. */
const DM_SETTINGS = {
  approved: { on: "dmOnApprove", template: "approveTemplate" },
  rejected: { on: "dmOnReject", template: "rejectTemplate" },
  revoked: { on: "dmOnRevoke", template: "revokeTemplate" },
} as const;

/**
 * Writes the DM (and the log-channel post, when one is set) for a decision and enqueues a job for each. The DM of an
 * approval whose role is still to be given is written HELD, without a job, beside a held "your role follows" note:
 * the transition that decides the role releases one of them (transition-messages.ts), so "welcome aboard" never
 * reaches someone whose role then fails.
 */
export async function enqueueDecisionMessages(options: EnqueueDecisionMessagesOptions): Promise<string[]> {
  const { tx, organizationId, applicationId, event } = options;
  // At most one relation per level in each read: inside a transaction, Prisma's query interpreter loads sibling
  // relations with concurrent queries on the transaction's one pg connection, which pg queues with a
  // DeprecationWarning and pg@9 refuses (prisma/orm#29407). The same round trips as one nested read, in turn.
  const application = await tx.application.findFirst({
    where: { id: applicationId, organizationId },
    select: {
      status: true,
      applicantDiscordId: true,
      applicantName: true,
      rejectReason: true,
      revokeReason: true,
      reviewedById: true,
      revokedById: true,
      form: { select: { name: true } },
    },
  });
  if (!application) return [];
  const organization = await tx.organization.findUniqueOrThrow({
    where: { id: organizationId },
    select: { name: true, connection: { select: { guildName: true } } },
  });
  const settings = await tx.applicantSettings.findUnique({ where: { organizationId } });
  const reason =
    event === "rejected" ? application.rejectReason : event === "revoked" ? application.revokeReason : null;
  const values = {
    applicant: application.applicantName,
    server: organization.connection?.guildName ?? organization.name,
    form: application.form?.name ?? "Application",
    reason: reason ?? "",
  };
  const rows: { target: "dm" | "log"; event: string; content: string; held?: boolean }[] = [];
  const dm = DM_SETTINGS[event];
  if ((settings?.[dm.on] ?? true) && application.applicantDiscordId) {
    const content = renderTemplate({ template: settings?.[dm.template], event, values });
    if (event === "approved" && application.status === "APPROVED_PENDING_ROLE") {
      // Both wait for the role job's outcome (transition-messages.ts releases one, drops the other).
      rows.push({ target: "dm", event, content, held: true });
      const inviteUrl = settings?.inviteUrl ?? null;
      rows.push({ target: "dm", event: "role_delayed", content: renderRoleDelayed({ values, inviteUrl }), held: true });
    } else rows.push({ target: "dm", event, content });
  }
  if (settings?.logChannelId) {
    const actorId = event === "revoked" ? application.revokedById : application.reviewedById;
    const actor = actorId ? await tx.user.findUnique({ where: { id: actorId }, select: { name: true } }) : null;
    const reviewer = actor?.name ?? "an administrator";
    rows.push({ target: "log", event, content: renderLogLine(event, { ...values, reviewer }) });
  }
  const ids: string[] = [];
  for (const { held, ...row } of rows) {
    const created = await tx.applicantMessage.createManyAndReturn({
      data: [{ organizationId, applicationId, ...row, ...(held ? { status: "HELD" as const } : {}) }],
      skipDuplicates: true,
      select: { id: true },
    });
    for (const { id } of created) {
      if (!held) await enqueueNotifyJob({ tx, messageId: id, organizationId });
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
