// Intake from the public page (WEB, the Discord id proven by OAuth) and the API (API, with Idempotency-Key).
import { Prisma, type Application } from "@/generated/prisma/client";
import type { ApplicationSource } from "@/generated/prisma/enums";
import { recordAudit, type AuditActor } from "@/lib/audit/record-audit";
import { db } from "@/lib/db";
import { isValidDiscordUserId } from "@/lib/discord/ids";
import { AppError } from "@/lib/errors/app-error";
import { assertEligible } from "@/lib/applicants/eligibility";
import { getFormOrThrow } from "@/lib/forms/forms";
import { listQuestions } from "@/lib/questions/questions";
import { validateAnswers } from "@/lib/questions/answers-schema";
import { enqueueReviewPost } from "@/lib/review-channel/enqueue";
import { recordWebhookEvent } from "@/lib/webhooks/outbox";

export type SubmitApplicationOptions = {
  organizationId: string;
  /** Null only for API submissions about someone without Discord (approval then needs no role). */
  applicantDiscordId: string | null;
  applicantName: string;
  answers: unknown;
  /** The form's slug; omitted or null: the organization's default form. */
  formSlug?: string | null;
  source: ApplicationSource;
  idempotencyKey?: string | null;
  actor?: AuditActor;
  ip?: string | null;
};

export type SubmitApplicationResult = { application: Application; created: boolean };

export async function submitApplication(options: SubmitApplicationOptions): Promise<SubmitApplicationResult> {
  const { organizationId, idempotencyKey } = options;
  if (idempotencyKey) {
    const first = await findByKey(organizationId, idempotencyKey);
    if (first) return { application: sameRequestOrThrow(first, options), created: false };
  }
  if (options.applicantDiscordId !== null && !isValidDiscordUserId(options.applicantDiscordId)) {
    throw new AppError("invalid_discord_user_id", "discordUserId must be a Discord user ID (snowflake).");
  }
  const form = await getFormOrThrow({ organizationId, slug: options.formSlug });
  // Closed form, blocklist, account age, cooldown: refused with their code before anything is written.
  await assertEligible({ organizationId, form, applicantDiscordId: options.applicantDiscordId });
  const questions = await listQuestions({ organizationId, formId: form.id });
  const answers = validateAnswers({ questions, answers: options.answers });
  try {
    const application = await db.$transaction(async (tx) => {
      const created = await tx.application.create({
        data: {
          organizationId,
          formId: form.id,
          applicantDiscordId: options.applicantDiscordId,
          applicantName: options.applicantName,
          answers,
          source: options.source,
          idempotencyKey: idempotencyKey ?? null,
        },
      });
      await recordAudit({
        db: tx,
        organizationId,
        actor: options.actor,
        action: "application.submit",
        targetType: "application",
        targetId: created.id,
        outcome: "SUCCESS",
        metadata: { source: options.source, form: form.slug },
        ip: options.ip,
      });
      await recordWebhookEvent({
        tx,
        organizationId,
        type: "application.submitted",
        data: {
          applicationId: created.id,
          organizationId,
          status: created.status,
          previousStatus: null,
          applicantDiscordId: created.applicantDiscordId,
          applicantName: created.applicantName,
          source: created.source,
        },
      });
      // Posted in the guild's review channel by a job: Discord's answer never holds up or fails the submission.
      await enqueueReviewPost({ tx, organizationId, applicationId: created.id });
      return created;
    });
    return { application, created: true };
  } catch (error) {
    if (!(error instanceof Prisma.PrismaClientKnownRequestError) || error.code !== "P2002") throw error;
    // A concurrent retry with the same key won the insert: answer with its result.
    if (idempotencyKey) {
      const first = await findByKey(organizationId, idempotencyKey);
      if (first) return { application: sameRequestOrThrow(first, options), created: false };
    }
    // applications_open_per_applicant: one PENDING or approved application per applicant and form.
    throw new AppError("already_exists", "This applicant already has an open or approved application for this form.");
  }
}

function findByKey(organizationId: string, idempotencyKey: string) {
  return db.application.findUnique({ where: { organizationId_idempotencyKey: { organizationId, idempotencyKey } } });
}

/** The same key with a different applicant is a client bug, not a retry: refuse it instead of hiding it. */
function sameRequestOrThrow(first: Application, options: SubmitApplicationOptions): Application {
  if (first.applicantDiscordId !== options.applicantDiscordId || first.applicantName !== options.applicantName) {
    throw new AppError("conflict", "This Idempotency-Key was already used for a different application.");
  }
  return first;
}
