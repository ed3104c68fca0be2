import { describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { validateAnswers, type QuestionForAnswers } from "@/lib/questions/answers-schema";

const questions: QuestionForAnswers[] = [
  { id: "q-short", label: "Name?", kind: "SHORT_TEXT", required: true, options: [], maxLength: 10 },
  { id: "q-long", label: "Why?", kind: "LONG_TEXT", required: false, options: [], maxLength: null },
  { id: "q-tz", label: "Timezone", kind: "SINGLE_CHOICE", required: true, options: ["EU", "US"], maxLength: null },
];

function issues(answers: unknown): string[] {
  try {
    validateAnswers({ questions, answers });
  } catch (error) {
    if (error instanceof ZodError) return error.issues.map((i) => i.path.join("."));
    throw error;
  }
  return [];
}

describe("validateAnswers", () => {
  it("stores answers with the question wording, trimmed, skipping empty optional ones", () => {
    expect(validateAnswers({ questions, answers: { "q-short": "  Ada ", "q-long": "", "q-tz": "EU" } })).toEqual([
      { questionId: "q-short", label: "Name?", kind: "SHORT_TEXT", value: "Ada" },
      { questionId: "q-tz", label: "Timezone", kind: "SINGLE_CHOICE", value: "EU" },
    ]);
  });

  it("rejects a missing or blank required answer", () => {
    expect(issues({ "q-tz": "EU" })).toEqual(["q-short"]);
    expect(issues({ "q-short": "   ", "q-tz": "EU" })).toEqual(["q-short"]);
  });

  it("enforces the question's length, the default long-text limit, and the offered choices", () => {
    expect(issues({ "q-short": "x".repeat(11), "q-tz": "EU" })).toEqual(["q-short"]);
    expect(issues({ "q-short": "ok", "q-long": "x".repeat(2001), "q-tz": "EU" })).toEqual(["q-long"]);
    expect(issues({ "q-short": "ok", "q-tz": "Mars" })).toEqual(["q-tz"]);
  });

  it("rejects answers to questions the organization does not ask, and non-string values", () => {
    expect(issues({ "q-short": "ok", "q-tz": "EU", "q-other": "x" })).toEqual([""]);
    expect(issues({ "q-short": 42, "q-tz": "EU" })).toEqual(["q-short"]);
  });
});
