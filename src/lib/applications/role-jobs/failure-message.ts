// The failure sentence an admin reads. The stored one (role-failures.ts) may tell them to retry; once the manual
// retries are used up that advice is wrong, so it is removed and the ways out that remain are named instead.
import type { Application } from "@/generated/prisma/client";

export const NO_RETRY_LEFT =
  "All manual attempts are used up: fix it in Discord and mark the role handled by hand, or reject or revoke the application.";

/** The message without any advice to retry (each phrasing role-failures.ts uses; any other sentence naming it goes). */
export function withoutRetryAdvice(message: string): string {
  const cut = message
    .replace(/,? then retry\b/gi, "")
    .replace(/[;,]? ?(or )?retry (in a few minutes|after they join)\b/gi, "")
    .replace(/[;,]? ?retry, and contact support if it persists/gi, ". Contact support if it persists");
  // Anything still mentioning a retry: drop that sentence.
  return cut
    .split(/(?<=[.!?)])\s+/)
    .filter((s) => !/\bretr(y|ies|ied)\b/i.test(s))
    .join(" ")
    .trim();
}

export type FailureMessageOptions = Pick<Application, "roleErrorMessage" | "retryCount" | "roleAssignmentStatus">;

/** The sentence to show: as stored while a retry is left, otherwise without retry advice and with what is left. */
export function failureMessage(application: FailureMessageOptions, maxRetries = 5): string | null {
  const message = application.roleErrorMessage;
  if (!message) return null;
  if (
    application.roleAssignmentStatus !== "FAILED" ||
    application.retryCount < maxRetries ||
    message.endsWith(NO_RETRY_LEFT)
  )
    return message;
  return `${withoutRetryAdvice(message)} ${NO_RETRY_LEFT}`.trim();
}
