// Validation messages in words. Installed as zod's global error map (schemas' own messages still win), so every
// 400 says what is wrong with which field ("is required", "must be at most 100 characters") instead of zod's
// defaults ("Invalid input: expected nonoptional, received undefined").
import { z } from "zod";

type Issue = z.core.$ZodRawIssue;

const KIND: Record<string, string> = {
  string: "text", number: "a number", int: "a whole number", boolean: "true or false", object: "an object",
  array: "a list", bigint: "a whole number", date: "a date", record: "an object", map: "an object", tuple: "a list",
};

function quote(values: readonly unknown[]): string {
  return values.map((v) => JSON.stringify(v)).join(", ");
}

function sizeWords(origin: string, bound: number | bigint, inclusive: boolean | undefined, small: boolean): string {
  const n = Number(bound);
  const at = inclusive === false ? (small ? "more than" : "less than") : small ? "at least" : "at most";
  if (origin === "string") return `must be ${at} ${n} character${n === 1 ? "" : "s"}`;
  if (origin === "array" || origin === "set") return n === 1 && small && inclusive !== false ? "must list at least one item" : `must list ${at} ${n} item${n === 1 ? "" : "s"}`;
  return `must be ${at} ${n}`;
}

/** The message for one issue, without the field name (the response names the field in `details[].path`). */
export function issueInWords(issue: Issue): string | undefined {
  switch (issue.code) {
    case "invalid_type":
      if (issue.input === undefined) return "is required";
      if (issue.input === null) return "must not be null";
      return `must be ${KIND[issue.expected] ?? issue.expected}`;
    case "too_small":
      return sizeWords(issue.origin, issue.minimum, issue.inclusive, true);
    case "too_big":
      return sizeWords(issue.origin, issue.maximum, issue.inclusive, false);
    case "invalid_value":
      return issue.values.length === 1 ? `must be ${quote(issue.values)}` : `must be one of ${quote(issue.values)}`;
    case "invalid_format":
      return issue.format === "regex" ? "is not in the expected format" : `must be a valid ${issue.format}`;
    case "unrecognized_keys":
      return `has unknown field${issue.keys.length === 1 ? "" : "s"} ${quote(issue.keys)}`;
    case "invalid_union":
      return "does not match any of the accepted shapes";
    case "invalid_key":
      return "has an invalid key";
    case "invalid_element":
      return "has an invalid item";
    case "not_multiple_of":
      return `must be a multiple of ${String(issue.divisor)}`;
    default:
      return undefined;
  }
}

export function installIssueWords(): void {
  z.config({ customError: issueInWords });
}

/** One sentence for the error body: the first few field problems, e.g. "url is required; eventTypes must ...". */
export function summarizeIssues(issues: readonly { path: PropertyKey[]; message: string }[]): string {
  const parts = issues.slice(0, 3).map((i) => {
    const field = i.path.map(String).join(".") || "The body";
    const message = i.message.replace(/\.$/, "");
    // Our words continue the field name ("url is required"); a schema's own sentence follows a colon.
    return /^[a-z]/.test(message) ? `${field} ${message}` : `${field}: ${message}`;
  });
  const more = issues.length > 3 ? ` (and ${issues.length - 3} more)` : "";
  return `The request is not valid: ${parts.join("; ")}${more}.`;
}
