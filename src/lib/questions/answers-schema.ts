// Answers are validated against the form's current questions: a zod object built per request, strict, so an
// unknown question, a missing required answer, a too-long text, a number out of range or a choice that is not
// offered is a 400. Answers may name a question by its id or by its stable key.
import { z } from "zod";
import type { ApplicationQuestion } from "@/generated/prisma/client";
import { AppError } from "@/lib/errors/app-error";

export const DEFAULT_MAX_LENGTH = { SHORT_TEXT: 200, LONG_TEXT: 2000, URL: 500 } as const;

export type QuestionForAnswers = Pick<
  ApplicationQuestion,
  "id" | "label" | "kind" | "required" | "options" | "maxLength"
> &
  Partial<Pick<ApplicationQuestion, "key" | "minLength" | "minValue" | "maxValue">>;

export type AnswerValue = string | number | string[];

const NUMBER_TEXT = /^-?\d+(\.\d+)?$/;

function required<T>(
  question: QuestionForAnswers,
  schema: z.ZodType<T>,
  empty: (v: unknown) => boolean,
): z.ZodType<T | undefined> {
  if (question.required) return schema;
  return z.preprocess(
    (v) => (v === undefined || v === null || empty(v) ? undefined : v),
    schema.optional(),
  ) as z.ZodType<T | undefined>;
}

const blank = (v: unknown) => typeof v === "string" && v.trim() === "";

function answerSchema(question: QuestionForAnswers): z.ZodType<AnswerValue | undefined> {
  switch (question.kind) {
    case "SINGLE_CHOICE":
      return required(
        question,
        z.string().refine((v) => question.options.includes(v), "Pick one of the offered options."),
        blank,
      );
    case "MULTIPLE_CHOICE": {
      const list = z
        .array(z.string().refine((v) => question.options.includes(v), "Pick only offered options."))
        .max(question.options.length)
        .refine((v) => new Set(v).size === v.length, "Pick each option once.")
        .refine((v) => !question.required || v.length > 0, "Pick at least one option.");
      return required(question, list, (v) => Array.isArray(v) && v.length === 0);
    }
    case "NUMBER": {
      let num = z.number({ error: "Enter a number." }).finite();
      if (question.minValue !== null && question.minValue !== undefined)
        num = num.min(question.minValue, `At least ${question.minValue}.`);
      if (question.maxValue !== null && question.maxValue !== undefined)
        num = num.max(question.maxValue, `At most ${question.maxValue}.`);
      const fromText = z.preprocess(
        (v) => (typeof v === "string" && NUMBER_TEXT.test(v.trim()) ? Number(v.trim()) : v),
        num,
      );
      return required(question, fromText, blank);
    }
    case "URL": {
      const max = question.maxLength ?? DEFAULT_MAX_LENGTH.URL;
      const url = z
        .string()
        .trim()
        .max(max, `At most ${max} characters.`)
        .refine((v) => {
          try {
            const u = new URL(v);
            return u.protocol === "https:" || u.protocol === "http:";
          } catch {
            return false;
          }
        }, "Enter a web address starting with https://.");
      return required(question, url, blank);
    }
    default: {
      const max = question.maxLength ?? DEFAULT_MAX_LENGTH[question.kind];
      let text = z.string().trim().max(max, `At most ${max} characters.`);
      const min = question.minLength ?? 0;
      if (min > 0) text = text.min(min, `At least ${min} characters.`);
      if (question.required) return text.min(1, "This question needs an answer.");
      return required(question, text, blank);
    }
  }
}

export function buildAnswersSchema(questions: readonly QuestionForAnswers[]) {
  const shape = Object.fromEntries(questions.map((q) => [q.id, answerSchema(q)]));
  return z.strictObject(shape);
}

/** Answers keyed by question id or key, re-keyed by id; a question answered under both is a 400. */
export function answersById(questions: readonly QuestionForAnswers[], answers: unknown): unknown {
  if (!answers || typeof answers !== "object" || Array.isArray(answers)) return answers;
  const byKey = new Map(questions.filter((q) => q.key).map((q) => [q.key!, q.id]));
  const ids = new Set(questions.map((q) => q.id));
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(answers)) {
    const id = ids.has(name) ? name : (byKey.get(name) ?? name);
    if (id in out) {
      throw new AppError("validation_failed", "A question was answered twice (by its id and by its key).", {
        details: [{ path: name, message: "Answered twice." }],
      });
    }
    out[id] = value;
  }
  return out;
}

/** What an application stores: the answer with the question's wording at the time, so later edits don't rewrite it. */
export type StoredAnswer = {
  questionId: string;
  key?: string;
  label: string;
  kind: QuestionForAnswers["kind"];
  value: AnswerValue;
};

export type ValidateAnswersOptions = { questions: readonly QuestionForAnswers[]; answers: unknown };

/**
 * The name a caller knows each question by, for error details: the key where the caller answered by key (or, for a
 * question left unanswered, used keys at all), else the id.
 */
function namesAsSent(questions: readonly QuestionForAnswers[], answers: unknown): Map<string, string> {
  const sent = answers && typeof answers === "object" && !Array.isArray(answers) ? Object.keys(answers) : [];
  const usedKeys = questions.some((q) => q.key && sent.includes(q.key));
  return new Map(
    questions.map((q) => {
      const byKey = q.key && (sent.includes(q.key) || (usedKeys && !sent.includes(q.id)));
      return [q.id, byKey ? q.key! : q.id];
    }),
  );
}

/** Throws a ZodError (400 validation_failed, details per question, named as the caller named it) when the answers do not fit. */
export function validateAnswers({ questions, answers }: ValidateAnswersOptions): StoredAnswer[] {
  let parsed: Record<string, AnswerValue | undefined>;
  try {
    parsed = buildAnswersSchema(questions).parse(answersById(questions, answers ?? {})) as typeof parsed;
  } catch (error) {
    if (!(error instanceof z.ZodError)) throw error;
    const names = namesAsSent(questions, answers);
    throw new z.ZodError(
      error.issues.map((issue) => {
        const [first, ...rest] = issue.path;
        const name = typeof first === "string" ? (names.get(first) ?? first) : first;
        return { ...issue, path: name === undefined ? issue.path : [name, ...rest] };
      }),
    );
  }
  return questions.flatMap((q) => {
    const value = parsed[q.id];
    return value === undefined
      ? []
      : [{ questionId: q.id, ...(q.key ? { key: q.key } : {}), label: q.label, kind: q.kind, value }];
  });
}
