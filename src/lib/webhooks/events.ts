// The events an organization can subscribe to, and which application transition is which event. The payload
// schemas here are also what the OpenAPI document publishes for receivers (src/lib/openapi).
import { z } from "zod";

export const WEBHOOK_EVENT_TYPES = [
  "application.submitted",
  "application.approved",
  "application.rejected",
  "application.revoked",
  "role.assigned",
  "role.failed",
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** Sent only by "send test event"; not subscribable. */
export const TEST_EVENT_TYPE = "webhook.test";

export const webhookEventType = z.enum(WEBHOOK_EVENT_TYPES);

const applicationStatus = z
  .string()
  .meta({ description: "The application's status after the change (see GET /api/v1/applications)." });

/** `data` of every application.* and role.* event. */
export const applicationEventData = z
  .object({
    applicationId: z.uuid(),
    organizationId: z.uuid(),
    status: applicationStatus,
    previousStatus: applicationStatus.nullable(),
    applicantDiscordId: z.string().nullable().optional().meta({ description: "Present on application.submitted." }),
    applicantName: z.string().optional().meta({ description: "Present on application.submitted." }),
    source: z.enum(["WEB", "API"]).optional().meta({ description: "Present on application.submitted." }),
    roleError: z
      .object({ code: z.string(), message: z.string() })
      .optional()
      .meta({ description: "Present on role.failed: why the role could not be given, in words." }),
  })
  .meta({ id: "WebhookApplicationEventData" });

export const webhookPayload = z
  .object({
    type: z.union([webhookEventType, z.literal(TEST_EVENT_TYPE)]),
    timestamp: z.iso.datetime({ offset: true }).meta({ description: "When the change committed (ISO 8601)." }),
    data: z.union([applicationEventData, z.object({ message: z.string() })]),
  })
  .meta({
    id: "WebhookPayload",
    description:
      "The JSON body of every delivery. The webhook-id header is the event id: the same for every attempt, so receivers dedupe by it.",
  });

export type WebhookPayload = z.infer<typeof webhookPayload>;
export type ApplicationEventData = z.infer<typeof applicationEventData>;

/** The event a status change is, or null (a manual retry's return to pending announces nothing). */
export function eventForTransition(from: string, to: string): WebhookEventType | null {
  if (to === "REVOKED") return "application.revoked";
  if (to === "REJECTED") return "application.rejected";
  if (from === "PENDING" && (to === "APPROVED" || to === "APPROVED_PENDING_ROLE")) return "application.approved";
  if (to === "APPROVED_ROLE_ASSIGNED") return "role.assigned";
  if (to === "APPROVED_ROLE_FAILED") return "role.failed";
  return null;
}
