// An organization's application questions. Archived questions keep old answers readable but are no longer asked.
import { z } from "zod";
import { db as defaultDb, type Db } from "@/lib/db";
import { AppError } from "@/lib/errors/app-error";
import { isUuid } from "@/lib/http/input";
import { recordAudit, type AuditActor } from "@/lib/audit/record-audit";

export const MAX_QUESTIONS = 30;

/** A malformed id names no question; checked before it reaches the uuid cast (which would be a 500). */
function assertQuestionId(questionId: string): void {
  if (!isUuid(questionId)) throw new AppError("not_found", "No such question.");
}

const base = {
  label: z.string().trim().min(1).max(200),
  required: z.boolean().default(true),
};
export const questionInputSchema = z.discriminatedUnion("kind", [
  z.strictObject({ ...base, kind: z.literal("SHORT_TEXT"), maxLength: z.number().int().min(1).max(500).optional() }),
  z.strictObject({ ...base, kind: z.literal("LONG_TEXT"), maxLength: z.number().int().min(1).max(4000).optional() }),
  z.strictObject({
    ...base,
    kind: z.literal("SINGLE_CHOICE"),
    options: z
      .array(z.string().trim().min(1).max(100))
      .min(2)
      .max(20)
      .refine((o) => new Set(o).size === o.length, "Options must be different."),
  }),
]);
export type QuestionInput = z.infer<typeof questionInputSchema>;

function columns(input: QuestionInput) {
  return {
    label: input.label,
    kind: input.kind,
    required: input.required,
    options: input.kind === "SINGLE_CHOICE" ? input.options : [],
    maxLength: input.kind === "SINGLE_CHOICE" ? null : (input.maxLength ?? null),
  };
}

export type ListQuestionsOptions = { organizationId: string; db?: Db };

export async function listQuestions({ organizationId, db = defaultDb }: ListQuestionsOptions) {
  return db.applicationQuestion.findMany({
    where: { organizationId, archivedAt: null },
    orderBy: [{ position: "asc" }, { createdAt: "asc" }],
  });
}

export type CreateQuestionOptions = { organizationId: string; input: QuestionInput; actor: AuditActor };

export async function createQuestion({ organizationId, input, actor }: CreateQuestionOptions) {
  return defaultDb.$transaction(async (tx) => {
    const active = await tx.applicationQuestion.aggregate({
      where: { organizationId, archivedAt: null },
      _count: true,
      _max: { position: true },
    });
    if (active._count >= MAX_QUESTIONS) {
      throw new AppError("bad_request", `An organization can ask at most ${MAX_QUESTIONS} questions.`);
    }
    const question = await tx.applicationQuestion.create({
      data: { organizationId, position: (active._max.position ?? -1) + 1, ...columns(input) },
    });
    await recordAudit({ db: tx, organizationId, actor, action: "question.create", targetType: "question", targetId: question.id, outcome: "SUCCESS" });
    return question;
  });
}

export type UpdateQuestionOptions = { organizationId: string; questionId: string; input: QuestionInput; actor: AuditActor };

export async function updateQuestion({ organizationId, questionId, input, actor }: UpdateQuestionOptions) {
  assertQuestionId(questionId);
  return defaultDb.$transaction(async (tx) => {
    const { count } = await tx.applicationQuestion.updateMany({
      where: { id: questionId, organizationId, archivedAt: null },
      data: columns(input),
    });
    if (count === 0) throw new AppError("not_found", "No such question.");
    await recordAudit({ db: tx, organizationId, actor, action: "question.update", targetType: "question", targetId: questionId, outcome: "SUCCESS" });
    return tx.applicationQuestion.findUniqueOrThrow({ where: { id: questionId } });
  });
}

export type ArchiveQuestionOptions = { organizationId: string; questionId: string; actor: AuditActor };

export async function archiveQuestion({ organizationId, questionId, actor }: ArchiveQuestionOptions) {
  assertQuestionId(questionId);
  await defaultDb.$transaction(async (tx) => {
    const { count } = await tx.applicationQuestion.updateMany({
      where: { id: questionId, organizationId, archivedAt: null },
      data: { archivedAt: new Date() },
    });
    if (count === 0) throw new AppError("not_found", "No such question.");
    await recordAudit({ db: tx, organizationId, actor, action: "question.archive", targetType: "question", targetId: questionId, outcome: "SUCCESS" });
  });
}
