// Fixtures for application tests: an organization with a connected guild, questions, applicants, and a look at
// graphile-worker's job table.
import { db } from "@/lib/db";
import { snowflakeFromTimestamp } from "@/lib/discord/ids";
import type { ApplicationStatus, QuestionKind } from "@/generated/prisma/enums";
import { ensureDefaultForm } from "@/lib/forms/forms";
import { createToken, type ApiScope } from "@/lib/security/api-tokens";

let counter = 0;

/** A fresh, valid snowflake (created "now" minus a little, unique per call). */
export function newSnowflake(): string {
  counter += 1;
  return snowflakeFromTimestamp(new Date(Date.now() - 60_000), BigInt(counter));
}

export type CreateOrgOptions = { slug?: string; guildId?: string | null; approvedRoleId?: string | null };

export async function createOrgWithGuild(options: CreateOrgOptions = {}) {
  counter += 1;
  const organization = await db.organization.create({
    data: { slug: options.slug ?? `org-${counter}`, name: `Org ${counter}` },
  });
  const guildId = options.guildId === undefined ? newSnowflake() : options.guildId;
  const approvedRoleId = options.approvedRoleId === undefined ? newSnowflake() : options.approvedRoleId;
  if (guildId) {
    await db.discordConnection.create({
      data: {
        organizationId: organization.id,
        guildId,
        guildName: "Guild",
        approvedRoleId,
        approvedRoleName: "Approved",
        state: "CONNECTED",
      },
    });
  }
  return { organization, guildId, approvedRoleId };
}

export async function createReviewer(name = "Reviewer") {
  counter += 1;
  return db.user.create({ data: { discordUserId: newSnowflake(), name: `${name} ${counter}` } });
}

export type CreateApplicationOptions = {
  organizationId: string;
  applicantDiscordId?: string | null;
  status?: ApplicationStatus;
  retryCount?: number;
  createdAt?: Date;
};

export async function createApplication(options: CreateApplicationOptions) {
  return db.application.create({
    data: {
      organizationId: options.organizationId,
      applicantDiscordId: options.applicantDiscordId === undefined ? newSnowflake() : options.applicantDiscordId,
      applicantName: "Applicant",
      status: options.status ?? "PENDING",
      roleAssignmentStatus: options.status === "APPROVED_ROLE_FAILED" ? "FAILED" : "NOT_APPLICABLE",
      retryCount: options.retryCount ?? 0,
      ...(options.createdAt ? { createdAt: options.createdAt } : {}),
    },
  });
}

export type JobRow = {
  id: string;
  key: string | null;
  task: string;
  queue: string | null;
  attempts: number;
  max_attempts: number;
  run_at: Date;
  payload: unknown;
  locked_at: Date | null;
};

/**
 * graphile-worker's jobs. Decision messages (notify-applicant, issue 14) are their own jobs beside every decision;
 * tests about role jobs leave them out unless `messages` asks for them.
 */
export async function listJobs(options: { messages?: boolean } = {}): Promise<JobRow[]> {
  const rows = await db.$queryRaw<JobRow[]>`
    SELECT j.id::text, j.key, t.identifier AS task, q.queue_name AS queue, j.attempts::int, j.max_attempts::int, j.run_at, j.payload, j.locked_at
    FROM graphile_worker._private_jobs j
    JOIN graphile_worker._private_tasks t ON t.id = j.task_id
    LEFT JOIN graphile_worker._private_job_queues q ON q.id = j.job_queue_id
    ORDER BY j.id`;
  return options.messages ? rows : rows.filter((r) => r.task !== "notify-applicant");
}

/** Polls until the predicate holds (jobs run asynchronously); fails with the last value after the timeout. */
export async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > until) throw new Error(`waitFor timed out; last value: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** An API token of the organization with the given scopes; returns the Authorization header value. */
export async function apiTokenFor(
  organizationId: string,
  scopes: ApiScope[],
): Promise<{ authorization: string; tokenId: string }> {
  const created = await createToken({ organizationId, createdById: null, name: `test ${scopes.join(",")}`, scopes });
  return { authorization: `Bearer ${created.token}`, tokenId: created.id };
}

export type AddQuestionOptions = {
  organizationId: string;
  /** Default: the organization's default form. */
  formId?: string;
  label?: string;
  key?: string;
  kind?: QuestionKind;
  position?: number;
  maxLength?: number | null;
  required?: boolean;
  options?: string[];
};

let questionCounter = 0;

/** A question row on a form (the default form unless given), with a unique key. */
export async function addQuestion(options: AddQuestionOptions) {
  questionCounter += 1;
  const formId = options.formId ?? (await ensureDefaultForm({ organizationId: options.organizationId })).id;
  return db.applicationQuestion.create({
    data: {
      organizationId: options.organizationId,
      formId,
      key: options.key ?? `q_${questionCounter}`,
      label: options.label ?? "Why?",
      kind: options.kind ?? "SHORT_TEXT",
      position: options.position ?? 0,
      maxLength: options.maxLength ?? null,
      required: options.required ?? true,
      options: options.options ?? [],
    },
  });
}
