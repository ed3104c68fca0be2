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

describe("errors name questions as the caller did (issue 28 item 2)", () => {
  const keyed: QuestionForAnswers[] = [
    {
      id: "7d0c6a3e-0000-4000-8000-000000000001",
      key: "name",
      label: "Name?",
      kind: "SHORT_TEXT",
      required: true,
      options: [],
      maxLength: 10,
    },
    {
      id: "7d0c6a3e-0000-4000-8000-000000000002",
      key: "tz",
      label: "Timezone",
      kind: "SINGLE_CHOICE",
      required: true,
      options: ["EU", "US"],
      maxLength: null,
    },
  ];
  const paths = (answers: unknown) => {
    try {
      validateAnswers({ questions: keyed, answers });
    } catch (error) {
      if (error instanceof ZodError) return error.issues.map((i) => i.path.join("."));
      throw error;
    }
    return [];
  };

  it("by key when answered by key, and a missing answer by key too when the caller uses keys", () => {
    expect(paths({ name: "x".repeat(11), tz: "EU" })).toEqual(["name"]);
    expect(paths({ name: "Ada", tz: "Mars" })).toEqual(["tz"]);
    expect(paths({ name: "Ada" })).toEqual(["tz"]);
  });

  it("by id when answered by id", () => {
    expect(paths({ [keyed[0]!.id]: "Ada" })).toEqual([keyed[1]!.id]);
    expect(paths({ [keyed[0]!.id]: "x".repeat(11), [keyed[1]!.id]: "EU" })).toEqual([keyed[0]!.id]);
  });
});
