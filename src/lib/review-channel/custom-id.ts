// The custom_id of the review message's components: a verb and the application id, nothing else (no secret, no
// organization). Whoever clicks is checked again from scratch; the id is input like any other.
import { z } from "zod";

export const REVIEW_ACTIONS = ["approve", "reject", "reject-reason"] as const;
export type ReviewAction = (typeof REVIEW_ACTIONS)[number];

/** Discord's limit on custom_id is 100 characters; ours are `gg:<action>:<uuid>` (at most 52). */
export function reviewCustomId(action: ReviewAction, applicationId: string): string {
  return `gg:${action}:${applicationId}`;
}

const uuid = z.string().uuid();

/** Null for anything that is not exactly one of ours (unknown verb, malformed id, extra parts). */
export function parseReviewCustomId(value: unknown): { action: ReviewAction; applicationId: string } | null {
  if (typeof value !== "string" || value.length > 100) return null;
  const parts = value.split(":");
  if (parts.length !== 3 || parts[0] !== "gg") return null;
  const action = REVIEW_ACTIONS.find((a) => a === parts[1]);
  if (!action || !uuid.safeParse(parts[2]).success) return null;
  return { action, applicationId: parts[2]!.toLowerCase() };
}

/** The text input of the reject modal. */
export const REJECT_REASON_INPUT_ID = "reason";
export const REJECT_REASON_MAX = 500;
