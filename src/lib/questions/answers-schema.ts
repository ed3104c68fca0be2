// Answers are validated against the organization's current questions: a zod object built per request, strict, so
// an unknown question id, a missing required answer, a too-long text or a choice that is not offered is a 400.
import { z } from "zod";
import type { ApplicationQuestion } from "@/generated/prisma/client";

export const DEFAULT_MAX_LENGTH = { SHORT_TEXT: 200, LONG_TEXT: 2000 } as const;

export type QuestionForAnswers = Pick<ApplicationQuestion, "id" | "label" | "kind" | "required" | "options" | "maxLength">;

function answerSchema(question: QuestionForAnswers): z.ZodType<string | undefined> {
  if (question.kind === "SINGLE_CHOICE") {
    const choice = z.string().refine((v) => question.options.includes(v), "Pick one of the offered options.");
    return question.required ? choice : z.union([z.literal(""), choice]).optional().transform((v) => v || undefined);
  }
  const max = question.maxLength ?? DEFAULT_MAX_LENGTH[question.kind];
  const text = z.string().trim().max(max, `At most ${max} characters.`);
  return question.required
    ? text.min(1, "This question needs an answer.")
    : text.optional().transform((v) => v || undefined);
}

export function buildAnswersSchema(questions: readonly QuestionForAnswers[]) {
  const shape = Object.fromEntries(questions.map((q) => [q.id, answerSchema(q)]));
  return z.strictObject(shape);
}

/** What an application stores: the answer with the question's wording at the time, so later edits don't rewrite it. */
export type StoredAnswer = { questionId: string; label: string; kind: QuestionForAnswers["kind"]; value: string };

export type ValidateAnswersOptions = { questions: readonly QuestionForAnswers[]; answers: unknown };

/** Throws a ZodError (400 validation_failed, details per question id) when the answers do not fit. */
export function validateAnswers({ questions, answers }: ValidateAnswersOptions): StoredAnswer[] {
  const parsed = buildAnswersSchema(questions).parse(answers ?? {}) as Record<string, string | undefined>;
  return questions.flatMap((q) => {
    const value = parsed[q.id];
    return value === undefined ? [] : [{ questionId: q.id, label: q.label, kind: q.kind, value }];
  });
}
