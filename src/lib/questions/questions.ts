// A form's questions. Archived questions keep old answers readable but are no longer asked. Each question has a
// stable `key` (API callers answer by it); admins can set it, otherwise it is derived from the label. Functions
// without a form slug work on the organization's default form (the old per-organization questions routes).
import { z } from "zod";
import type { ApplicationQuestion } from "@/generated/prisma/client";
import { recordAudit, type AuditActor } from "@/lib/audit/record-audit";
import { db as defaultDb, type Db, type Tx } from "@/lib/db";
import { AppError } from "@/lib/errors/app-error";
import { getFormOrThrow } from "@/lib/forms/forms";
import { isUuid } from "@/lib/http/input";

export const MAX_QUESTIONS = 30;
const KEY = /^[a-z][a-z0-9_]{0,49}$/;

/** A malformed id names no question; checked before it reaches the uuid cast (which would be a 500). */
function assertQuestionId(questionId: string): void {
  if (!isUuid(questionId)) throw new AppError("not_found", "No such question.");
}

const base = {
  label: z.string().trim().min(1).max(200),
  key: z
    .string()
    .trim()
    .regex(KEY, "Use a lowercase letter, then up to 49 lowercase letters, digits or underscores.")
    .optional(),
  helpText: z.string().trim().max(500).optional(),
  required: z.boolean().default(true),
};
const choices = z
  .array(z.string().trim().min(1).max(100))
  .min(2)
  .max(20)
  .refine((o) => new Set(o).size === o.length, "Options must be different.");
const lengths = (max: number) => ({
  minLength: z.number().int().min(0).max(max).optional(),
  maxLength: z.number().int().min(1).max(max).optional(),
});
const minMax = (q: { minLength?: number; maxLength?: number }) =>
  q.minLength === undefined || q.maxLength === undefined || q.minLength <= q.maxLength;
const valueRange = (q: { min?: number; max?: number }) => q.min === undefined || q.max === undefined || q.min <= q.max;

export const questionInputSchema = z.discriminatedUnion("kind", [
  z
    .strictObject({ ...base, kind: z.literal("SHORT_TEXT"), ...lengths(500) })
    .refine(minMax, { message: "minLength is above maxLength.", path: ["minLength"] }),
  z
    .strictObject({ ...base, kind: z.literal("LONG_TEXT"), ...lengths(4000) })
    .refine(minMax, { message: "minLength is above maxLength.", path: ["minLength"] }),
  z.strictObject({ ...base, kind: z.literal("URL"), maxLength: z.number().int().min(10).max(2000).optional() }),
  z.strictObject({ ...base, kind: z.literal("SINGLE_CHOICE"), options: choices }),
  z.strictObject({ ...base, kind: z.literal("MULTIPLE_CHOICE"), options: choices }),
  z
    .strictObject({
      ...base,
      kind: z.literal("NUMBER"),
      min: z.number().finite().optional(),
      max: z.number().finite().optional(),
    })
    .refine(valueRange, { message: "min is above max.", path: ["min"] }),
]);
export type QuestionInput = z.infer<typeof questionInputSchema>;

function columns(input: QuestionInput) {
  const choice = input.kind === "SINGLE_CHOICE" || input.kind === "MULTIPLE_CHOICE";
  return {
    label: input.label,
    helpText: input.helpText || null,
    kind: input.kind,
    required: input.required,
    options: choice ? input.options : [],
    minLength: input.kind === "SHORT_TEXT" || input.kind === "LONG_TEXT" ? (input.minLength ?? null) : null,
    maxLength:
      input.kind === "SHORT_TEXT" || input.kind === "LONG_TEXT" || input.kind === "URL"
        ? (input.maxLength ?? null)
        : null,
    minValue: input.kind === "NUMBER" ? (input.min ?? null) : null,
    maxValue: input.kind === "NUMBER" ? (input.max ?? null) : null,
  };
}

/** A key from the label (`"Your age?"` -> `your_age`), made unique among the form's active questions. */
export function keyFromLabel(label: string, taken: ReadonlySet<string>): string {
  const stem =
    label
      .toLowerCase()
      .normalize("NFKD")
      .replace(/[^a-z0-9]+/g, "_")
      .replace(/^_+|_+$/g, "")
      .slice(0, 40) || "question";
  const start = /^[a-z]/.test(stem) ? stem : `q_${stem}`.slice(0, 40);
  let key = start;
  for (let n = 2; taken.has(key); n++) key = `${start}_${n}`;
  return key;
}

type FormScope = { organizationId: string; formSlug?: string | null };

export type ListQuestionsOptions = FormScope & { db?: Db | Tx; formId?: string };

export async function listQuestions({
  organizationId,
  formSlug,
  formId,
  db = defaultDb,
}: ListQuestionsOptions): Promise<ApplicationQuestion[]> {
  const id = formId ?? (await getFormOrThrow({ organizationId, slug: formSlug, db })).id;
  return db.applicationQuestion.findMany({
    where: { organizationId, formId: id, archivedAt: null },
    orderBy: [{ position: "asc" }, { createdAt: "asc" }],
  });
}

async function activeKeys(tx: Tx, formId: string, except?: string): Promise<Set<string>> {
  const rows = await tx.applicationQuestion.findMany({
    where: { formId, archivedAt: null, ...(except ? { id: { not: except } } : {}) },
    select: { key: true },
  });
  return new Set(rows.map((r) => r.key));
}

function keyTaken(key: string): AppError {
  return new AppError("already_exists", `Another question of this form already has the key “${key}”.`, {
    details: { key },
  });
}

export type CreateQuestionOptions = FormScope & { input: QuestionInput; actor: AuditActor };

export async function createQuestion({ organizationId, formSlug, input, actor }: CreateQuestionOptions) {
  const form = await getFormOrThrow({ organizationId, slug: formSlug });
  return defaultDb.$transaction(async (tx) => {
    const active = await tx.applicationQuestion.aggregate({
      where: { formId: form.id, archivedAt: null },
      _count: true,
      _max: { position: true },
    });
    if (active._count >= MAX_QUESTIONS)
      throw new AppError("bad_request", `A form can ask at most ${MAX_QUESTIONS} questions.`);
    const taken = await activeKeys(tx, form.id);
    if (input.key && taken.has(input.key)) throw keyTaken(input.key);
    const question = await tx.applicationQuestion.create({
      data: {
        organizationId,
        formId: form.id,
        key: input.key ?? keyFromLabel(input.label, taken),
        position: (active._max.position ?? -1) + 1,
        ...columns(input),
      },
    });
    await recordAudit({
      db: tx,
      organizationId,
      actor,
      action: "question.create",
      targetType: "question",
      targetId: question.id,
      outcome: "SUCCESS",
      metadata: { formId: form.id, key: question.key },
    });
    return question;
  });
}

export type UpdateQuestionOptions = FormScope & { questionId: string; input: QuestionInput; actor: AuditActor };

export async function updateQuestion({ organizationId, formSlug, questionId, input, actor }: UpdateQuestionOptions) {
  assertQuestionId(questionId);
  const form = await getFormOrThrow({ organizationId, slug: formSlug });
  return defaultDb.$transaction(async (tx) => {
    if (input.key && (await activeKeys(tx, form.id, questionId)).has(input.key)) throw keyTaken(input.key);
    const { count } = await tx.applicationQuestion.updateMany({
      where: { id: questionId, organizationId, formId: form.id, archivedAt: null },
      data: { ...columns(input), ...(input.key ? { key: input.key } : {}) },
    });
    if (count === 0) throw new AppError("not_found", "No such question.");
    await recordAudit({
      db: tx,
      organizationId,
      actor,
      action: "question.update",
      targetType: "question",
      targetId: questionId,
      outcome: "SUCCESS",
    });
    return tx.applicationQuestion.findUniqueOrThrow({ where: { id: questionId } });
  });
}

export type ArchiveQuestionOptions = FormScope & { questionId: string; actor: AuditActor };

export async function archiveQuestion({ organizationId, formSlug, questionId, actor }: ArchiveQuestionOptions) {
  assertQuestionId(questionId);
  const form = await getFormOrThrow({ organizationId, slug: formSlug });
  await defaultDb.$transaction(async (tx) => {
    const { count } = await tx.applicationQuestion.updateMany({
      where: { id: questionId, organizationId, formId: form.id, archivedAt: null },
      data: { archivedAt: new Date() },
    });
    if (count === 0) throw new AppError("not_found", "No such question.");
    await recordAudit({
      db: tx,
      organizationId,
      actor,
      action: "question.archive",
      targetType: "question",
      targetId: questionId,
      outcome: "SUCCESS",
    });
  });
}

export const reorderInputSchema = z.strictObject({ questionIds: z.array(z.string()).min(1).max(MAX_QUESTIONS) });

export type ReorderQuestionsOptions = FormScope & { questionIds: string[]; actor: AuditActor };

/** Puts the form's active questions in the given order; the list must name each of them exactly once. */
export async function reorderQuestions({ organizationId, formSlug, questionIds, actor }: ReorderQuestionsOptions) {
  const form = await getFormOrThrow({ organizationId, slug: formSlug });
  return defaultDb.$transaction(async (tx) => {
    const active = await tx.applicationQuestion.findMany({
      where: { formId: form.id, organizationId, archivedAt: null },
      select: { id: true },
    });
    const ids = new Set(active.map((q) => q.id));
    if (
      questionIds.length !== ids.size ||
      new Set(questionIds).size !== ids.size ||
      !questionIds.every((id) => ids.has(id))
    ) {
      throw new AppError("bad_request", "List every question of the form exactly once.");
    }
    for (const [position, id] of questionIds.entries()) {
      await tx.applicationQuestion.update({ where: { id }, data: { position } });
    }
    await recordAudit({
      db: tx,
      organizationId,
      actor,
      action: "question.reorder",
      targetType: "form",
      targetId: form.id,
      outcome: "SUCCESS",
      metadata: { questionIds },
    });
    return listQuestions({ organizationId, formId: form.id, db: tx });
  });
}
