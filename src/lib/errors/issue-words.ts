// zod's default messages ("Too small: expected array to have >=2 items") are for developers. The route wrapper sends
// every issue through here, so a person reads what to do instead; messages a schema wrote itself are kept.
import type { z } from "zod";

type Issue = z.core.$ZodIssue;

// zod's English defaults start like this; a schema's own message ("At most 200 characters.") does not.
const DEFAULT_MESSAGE =
  /^(Invalid input|Invalid option|Invalid (string|email|URL|UUID|date|key|element|value)|Too small|Too big|Unrecognized key|Expected )/;

const TYPE_WORDS: Record<string, string> = {
  string: "Enter text here.",
  number: "Enter a number.",
  int: "Enter a whole number.",
  boolean: "Choose yes or no.",
  array: "Give a list here.",
  object: "Send the fields this form asks for.",
};

function limit(issue: { minimum?: unknown; maximum?: unknown }): string {
  return String(issue.minimum ?? issue.maximum);
}

/** One issue in words: what to do, not what the validator saw. */
export function issueInWords(issue: Issue): string {
  if (issue.code === "custom" || !DEFAULT_MESSAGE.test(issue.message)) return issue.message;
  switch (issue.code) {
    case "invalid_type":
      return /received undefined$/.test(issue.message)
        ? "This is required: fill it in."
        : (TYPE_WORDS[issue.expected] ?? "This value has the wrong type.");
    case "too_small":
      if (issue.origin === "string")
        return Number(issue.minimum) <= 1
          ? "This is required: fill it in."
          : `Use at least ${limit(issue)} characters.`;
      if (issue.origin === "array" || issue.origin === "set") return `Give at least ${limit(issue)} entries.`;
      return `Use ${limit(issue)} or more.`;
    case "too_big":
      if (issue.origin === "string") return `Use at most ${limit(issue)} characters.`;
      if (issue.origin === "array" || issue.origin === "set") return `Give at most ${limit(issue)} entries.`;
      return `Use ${limit(issue)} or less.`;
    case "invalid_value":
      // Listed whenever the list is short enough to read (every status filter is): the caller learns the spelling.
      return issue.values.length <= 12
        ? `Pick one of: ${issue.values.map(String).join(", ")}.`
        : "Pick one of the offered options.";
    case "unrecognized_keys":
      return `This form does not ask for ${issue.keys.join(", ")}. Reload the page and try again.`;
    case "invalid_format":
      return issue.format === "email"
        ? "Enter an email address."
        : issue.format === "url"
          ? "Enter a full link, starting with https://."
          : "This is not in the expected format.";
    default:
      return "This value is not valid. Check it and try again.";
  }
}

/** One sentence for the error body: the first few field problems, e.g. "url: This is required: fill it in; ...". */
export function summarizeIssues(issues: readonly { path: string; message: string }[]): string {
  const parts = issues.slice(0, 3).map((i) => {
    const field = i.path || "The body";
    const message = i.message.replace(/\.$/, "");
    return `${field}: ${message}`;
  });
  const more = issues.length > 3 ? ` (and ${issues.length - 3} more)` : "";
  return `The request is not valid: ${parts.join("; ")}${more}.`;
}
