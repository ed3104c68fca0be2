// The one-sentence summary of a 400's field problems (route.ts); each problem is already in words
// (src/lib/errors/issue-words.ts).
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
