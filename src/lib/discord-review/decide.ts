// A decision from Discord goes through the dashboard's own decision function (updateApplicationStatus with source
// "discord"): the same conditional transition, audit row, role job and webhook event, so a click racing a dashboard
// approval ends with one transition and the loser told who decided. The answer comes within Discord's window: the
// decided message itself (type 7) when the transaction is quick, otherwise a deferred update (type 6) and the
// result through the interaction webhook. Either way the review-message job edits the message durably too.
import {
  type APIInteractionResponse,
  type APIModalInteractionResponse,
  ComponentType,
  InteractionResponseType,
  TextInputStyle,
} from "discord-api-types/v10";
import { updateApplicationStatus } from "@/lib/applications/decisions/review";
import { db } from "@/lib/db";
import { escapeMarkdown } from "@/lib/discord/markdown";
import { isAppError } from "@/lib/errors/app-error";
import { sanitizeExternalText } from "@/lib/http/input";
import { logger } from "@/lib/logger";
import { REJECT_REASON_INPUT_ID, REJECT_REASON_MAX, reviewCustomId } from "@/lib/review-channel/custom-id";
import { renderReviewMessage } from "@/lib/review-channel/render";
import { loadReviewView } from "@/lib/review-channel/view";
import { editOriginalResponse, sendEphemeralFollowUp, type InteractionWebhookTarget } from "./interaction-webhook";
import type { InteractionReply } from "./interactions";
import { ephemeral } from "./responses";

export function rejectModal(applicationId: string): APIModalInteractionResponse {
  return {
    type: InteractionResponseType.Modal,
    data: {
      custom_id: reviewCustomId("reject-reason", applicationId),
      title: "Reject application",
      components: [
        {
          type: ComponentType.Label,
          label: "Reason",
          description: "Kept in Guildgate's audit log and shown on the review message.",
          component: {
            type: ComponentType.TextInput,
            custom_id: REJECT_REASON_INPUT_ID,
            style: TextInputStyle.Paragraph,
            required: false,
            max_length: REJECT_REASON_MAX,
          },
        },
      ],
    },
  };
}

/** The reason typed into the modal (in a Label, or in an action row as older clients send it); input like any other. */
export function modalReason(components: unknown[] | undefined): string | null {
  for (const component of components ?? []) {
    const inputs =
      component && typeof component === "object"
        ? [
            ...(((component as { components?: unknown[] }).components ?? []) as unknown[]),
            (component as { component?: unknown }).component,
          ]
        : [];
    for (const input of inputs) {
      const { custom_id: id, value } = (input ?? {}) as { custom_id?: unknown; value?: unknown };
      if (id === REJECT_REASON_INPUT_ID && typeof value === "string") {
        return sanitizeExternalText(value, REJECT_REASON_MAX) || null;
      }
    }
  }
  return null;
}

const unix = (date: Date) => Math.floor(date.getTime() / 1000);

/** For the loser of a race, or a click on a message that is out of date: who decided, and when. */
export async function alreadyDecidedReply(
  organizationId: string,
  applicationId: string,
): Promise<APIInteractionResponse> {
  const application = await db.application.findFirst({
    where: { id: applicationId, organizationId },
    select: { status: true, reviewedAt: true, reviewedBy: { select: { name: true } } },
  });
  if (!application || application.status === "PENDING") {
    return ephemeral("The application changed while you clicked; try again.");
  }
  const verb =
    application.status === "REJECTED" ? "rejected" : application.status.startsWith("REVOKED") ? "revoked" : "approved";
  const who = application.reviewedBy ? ` by ${escapeMarkdown(application.reviewedBy.name)}` : "";
  const when = application.reviewedAt ? ` <t:${unix(application.reviewedAt)}:R>` : "";
  return ephemeral(`Already ${verb}${who}${when}. Nothing was changed.`);
}

export type DecideFromDiscordOptions = {
  organizationId: string;
  applicationId: string;
  reviewerId: string;
  decision: "APPROVED" | "REJECTED";
  modalComponents?: unknown[];
  webhook: InteractionWebhookTarget;
  answerWithinMs: number;
};

export async function decideFromDiscord(options: DecideFromDiscordOptions): Promise<InteractionReply> {
  const { organizationId, applicationId } = options;
  const reason = options.decision === "REJECTED" ? modalReason(options.modalComponents) : null;
  const work = (async (): Promise<APIInteractionResponse> => {
    try {
      await updateApplicationStatus({
        applicationId,
        organizationId,
        status: options.decision,
        reviewerId: options.reviewerId,
        source: "discord",
        reason,
        // The buttons decide pending applications only; the dashboard handles everything after.
        onlyFrom: ["PENDING"],
      });
    } catch (error) {
      if (isAppError(error) && (error.code === "conflict" || error.code === "illegal_transition")) {
        return alreadyDecidedReply(organizationId, applicationId);
      }
      // The organization requires a reason (Settings → Applicants) and the modal came back empty.
      if (isAppError(error) && error.code === "reject_reason_required") {
        return ephemeral("This server asks for a reason with every rejection: press Reject again and write one.");
      }
      throw error;
    }
    const loaded = await loadReviewView({ organizationId, applicationId });
    if (!loaded) return ephemeral("Decided.");
    const message = renderReviewMessage(loaded.view);
    return { type: InteractionResponseType.UpdateMessage, data: message };
  })();
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<"late">((resolve) => {
    timer = setTimeout(() => resolve("late"), options.answerWithinMs);
  });
  const first = await Promise.race([work, late]).finally(() => clearTimeout(timer));
  if (first !== "late") return { kind: "response", body: first };

  // Past the window: acknowledge now, and finish through the interaction webhook.
  const settled = work.then(
    (body) => ({ body }),
    (error: unknown) => ({ error }),
  );
  return {
    kind: "response",
    body: { type: InteractionResponseType.DeferredMessageUpdate },
    continuation: async () => {
      const result = await settled;
      if ("error" in result) {
        logger.warn(
          { applicationId, err: result.error instanceof Error ? result.error.name : "error" },
          "discord decision failed",
        );
        await sendEphemeralFollowUp(
          options.webhook,
          "The decision could not be saved; try again, or use the dashboard.",
        );
        return;
      }
      const { body } = result;
      if (body.type === InteractionResponseType.UpdateMessage && body.data) {
        await editOriginalResponse(options.webhook, body.data);
      } else if (body.type === InteractionResponseType.ChannelMessageWithSource && body.data?.content) {
        await sendEphemeralFollowUp(options.webhook, body.data.content);
      }
    },
  };
}
