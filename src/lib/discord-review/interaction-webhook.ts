// The interaction webhook: after a deferred answer (type 6), the result is written into the message through
// PATCH /webhooks/{application_id}/{token}/messages/@original, or told to the clicker alone through a follow-up.
// The interaction token authorizes these calls (15 minutes); it is never logged.
import type { RESTPatchAPIInteractionOriginalResponseJSONBody } from "discord-api-types/v10";
import { env } from "@/lib/env";
import { logger } from "@/lib/logger";

const TIMEOUT_MS = 8_000;

export type InteractionWebhookTarget = { applicationId: string; token: string };

async function send(target: InteractionWebhookTarget, method: string, suffix: string, body: unknown): Promise<boolean> {
  const url = `${env.DISCORD_API_BASE_URL}/webhooks/${target.applicationId}/${encodeURIComponent(target.token)}${suffix}`;
  try {
    const response = await fetch(url, {
      method,
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    if (!response.ok) logger.warn({ status: response.status, method }, "interaction webhook call refused");
    return response.ok;
  } catch (error) {
    logger.warn({ err: error instanceof Error ? error.name : "error", method }, "interaction webhook call failed");
    return false;
  }
}

export function editOriginalResponse(
  target: InteractionWebhookTarget,
  body: RESTPatchAPIInteractionOriginalResponseJSONBody,
): Promise<boolean> {
  return send(target, "PATCH", "/messages/@original", body);
}

/** A follow-up only the clicker sees (flags 64). */
export function sendEphemeralFollowUp(target: InteractionWebhookTarget, content: string): Promise<boolean> {
  return send(target, "POST", "", { content, flags: 64, allowed_mentions: { parse: [] } });
}
