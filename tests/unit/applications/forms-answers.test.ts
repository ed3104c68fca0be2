// The question kinds of issue 13, answers by key, and the failure message once no retry is left.
import { describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { failureMessage, NO_RETRY_LEFT, withoutRetryAdvice } from "@/lib/applications/role-jobs/failure-message";
import { ROLE_FAILURES } from "@/lib/applications/role-jobs/role-failures";
import { validateAnswers, type QuestionForAnswers } from "@/lib/questions/answers-schema";
import { keyFromLabel } from "@/lib/questions/questions";

const q = (over: Partial<QuestionForAnswers> & Pick<QuestionForAnswers, "id" | "kind">): QuestionForAnswers => ({
  label: over.id,
  required: true,
  options: [],
  maxLength: null,
  key: over.id.replace("q-", ""),
  minLength: null,
  minValue: null,
  maxValue: null,
  ...over,
});

const questions = [
  q({ id: "q-age", kind: "NUMBER", minValue: 16, maxValue: 99 }),
  q({ id: "q-areas", kind: "MULTIPLE_CHOICE", options: ["Art", "Events"] }),
  q({ id: "q-site", kind: "URL", required: false }),
  q({ id: "q-bio", kind: "LONG_TEXT", minLength: 5, required: false }),
];

function paths(answers: unknown): string[] {
  try {
    validateAnswers({ questions, answers });
    return [];
  } catch (error) {
    if (error instanceof ZodError) return error.issues.map((i) => i.path.join("."));
    throw error;
  }
}

describe("answers of the new kinds, by key or id", () => {
  it("stores numbers as numbers, choices as lists, with the key", () => {
    expect(
      validateAnswers({ questions, answers: { age: "30", "q-areas": ["Events"], site: "https://x.example", bio: "" } }),
    ).toEqual([
      { questionId: "q-age", key: "age", label: "q-age", kind: "NUMBER", value: 30 },
      { questionId: "q-areas", key: "areas", label: "q-areas", kind: "MULTIPLE_CHOICE", value: ["Events"] },
      { questionId: "q-site", key: "site", label: "q-site", kind: "URL", value: "https://x.example" },
    ]);
  });

  it("refuses numbers out of range, unknown or repeated choices, non-web addresses and too-short text, naming questions by the keys used", () => {
    expect(paths({ age: 12, areas: ["Art"] })).toEqual(["age"]);
    expect(paths({ age: "abc", areas: ["Art"] })).toEqual(["age"]);
    expect(paths({ age: 20, areas: ["Cooking"] })).toEqual(["areas.0"]);
    expect(paths({ age: 20, areas: ["Art", "Art"] })).toEqual(["areas"]);
    expect(paths({ age: 20, areas: [] })).toEqual(["areas"]);
    expect(paths({ age: 20, areas: ["Art"], site: "javascript:alert(1)" })).toEqual(["site"]);
    expect(paths({ age: 20, areas: ["Art"], bio: "hey" })).toEqual(["bio"]);
  });

  it("refuses a question answered under both its id and its key", () => {
    expect(() => validateAnswers({ questions, answers: { age: 20, "q-age": 21, areas: ["Art"] } })).toThrow(
      /answered twice/,
    );
  });

  it("derives unique keys from labels", () => {
    expect(keyFromLabel("Your age?", new Set())).toBe("your_age");
    expect(keyFromLabel("Your age?", new Set(["your_age"]))).toBe("your_age_2");
    expect(keyFromLabel("123", new Set())).toBe("q_123");
  });
});

describe("the failure message once no retry is left", () => {
  it("keeps the stored sentence while retries are left", () => {
    const message = ROLE_FAILURES.missing_permissions;
    expect(failureMessage({ roleErrorMessage: message, retryCount: 4, roleAssignmentStatus: "FAILED" })).toBe(message);
  });

  it.each(Object.entries(ROLE_FAILURES))("%s: never says retry after the last retry", (_code, message) => {
    const shown = failureMessage({
      roleErrorMessage: `Could not give “Staff”: ${message} (1 more role failed too.)`,
      retryCount: 5,
      roleAssignmentStatus: "FAILED",
    })!;
    expect(shown).not.toMatch(/retr/i);
    expect(shown.endsWith(NO_RETRY_LEFT)).toBe(true);
    expect(withoutRetryAdvice(message)).not.toMatch(/retr/i);
  });
});
