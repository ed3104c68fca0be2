// The review message: one embed (applicant, form, answers, and once decided the outcome) and its buttons. Pure:
// the same view always renders the same message. Cut to Discord's embed limits; whatever does not fit is behind
// the dashboard link, which every message carries.
import {
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIEmbed,
  type APIEmbedField,
  ButtonStyle,
  ComponentType,
} from "discord-api-types/v10";
import type { ApplicationStatus, RoleAssignmentStatus } from "@/generated/prisma/enums";
import { isSnowflake, snowflakeTimestamp } from "@/lib/discord/ids";
import { escapeMarkdown } from "@/lib/discord/markdown";
import { reviewCustomId } from "./custom-id";

/** https://discord.com/developers/docs/resources/message#embed-object-embed-limits */
export const EMBED_LIMITS = {
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  total: 6000,
} as const;

export type ReviewMessageView = {
  applicationId: string;
  /** Absolute URL of the application's dashboard page. */
  dashboardUrl: string;
  applicantDiscordId: string | null;
  applicantName: string;
  formName: string | null;
  answers: { label: string; value: unknown }[];
  submittedAt: Date;
  status: ApplicationStatus;
  roleAssignmentStatus: RoleAssignmentStatus;
  roleErrorMessage: string | null;
  decidedBy: { name: string; discordUserId: string | null } | null;
  decidedAt: Date | null;
  /** The rejection's reason, if one was given. */
  reason: string | null;
  now: Date;
};

export type ReviewMessageBody = {
  content: string;
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIButtonComponent>[];
  allowed_mentions: { parse: [] };
};

const COLORS = { pending: 0x5865f2, approved: 0x23a55a, rejected: 0xda373c, warning: 0xf0b232 } as const;

/** Cuts to `max` characters (UTF-16 units, as Discord counts) without splitting a surrogate pair, marking the cut. */
export function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  let head = text.slice(0, max - 1);
  if (/[\uD800-\uDBFF]$/.test(head)) head = head.slice(0, -1);
  return `${head}…`;
}

/** "3 years", "5 months", "12 days", "less than a day", from a Discord id's creation time. */
export function accountAge(discordId: string, now: Date): string | null {
  if (!isSnowflake(discordId)) return null;
  const days = Math.floor((now.getTime() - snowflakeTimestamp(discordId).getTime()) / 86_400_000);
  if (days < 1) return "less than a day";
  if (days < 60) return `${days} day${days === 1 ? "" : "s"}`;
  if (days < 730) return `${Math.floor(days / 30)} months`;
  return `${Math.floor(days / 365)} years`;
}

const unix = (date: Date) => Math.floor(date.getTime() / 1000);

function answerText(value: unknown): string {
  if (Array.isArray(value)) return value.map(String).join(", ");
  if (value === null || value === undefined) return "";
  return String(value);
}

function statusLine(view: ReviewMessageView): { text: string; color: number } {
  switch (view.status) {
    case "PENDING":
      return { text: "Waiting for review", color: COLORS.pending };
    case "APPROVED":
      return { text: "Approved (no Discord account: no role to give)", color: COLORS.approved };
    case "APPROVED_PENDING_ROLE":
      return { text: "Approved; giving the role…", color: COLORS.approved };
    case "APPROVED_ROLE_ASSIGNED":
      return { text: "Approved; role given", color: COLORS.approved };
    case "APPROVED_ROLE_FAILED":
      return { text: "Approved, but the role could not be given", color: COLORS.warning };
    case "REJECTED":
      return {
        text: view.roleAssignmentStatus === "FAILED" ? "Rejected; its role change failed" : "Rejected",
        color: COLORS.rejected,
      };
    case "REVOKED_PENDING_ROLE_REMOVAL":
      return { text: "Approval revoked; removing the roles…", color: COLORS.rejected };
    case "REVOKED_ROLE_REMOVAL_FAILED":
      return { text: "Approval revoked, but the roles could not be removed", color: COLORS.warning };
    case "REVOKED":
      return { text: "Approval revoked", color: COLORS.rejected };
  }
}

function embedSize(embed: APIEmbed): number {
  return (
    (embed.title?.length ?? 0) +
    (embed.description?.length ?? 0) +
    (embed.footer?.text.length ?? 0) +
    (embed.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0)
  );
}

/** The embed footer names the application: how a retry recognises its post in the channel's history. */
export const reviewMessageFooter = (applicationId: string) => `Application ${applicationId}`;

/** A bot's message whose embed carries this application's footer. */
export function isReviewMessageOf(
  applicationId: string,
  message: { author?: { bot?: boolean }; embeds?: { footer?: { text?: string } }[] },
): boolean {
  const footer = reviewMessageFooter(applicationId);
  return message.author?.bot === true && (message.embeds ?? []).some((e) => e.footer?.text === footer);
}

export function renderReviewMessage(view: ReviewMessageView): ReviewMessageBody {
  const status = statusLine(view);
  const decided = view.status !== "PENDING";
  const lines: string[] = [];
  if (view.applicantDiscordId) {
    const age = accountAge(view.applicantDiscordId, view.now);
    lines.push(`**Applicant:** <@${view.applicantDiscordId}> (${escapeMarkdown(cut(view.applicantName, 100))})`);
    if (age) {
      const created = unix(snowflakeTimestamp(view.applicantDiscordId));
      lines.push(`**Discord account:** ${age} old (created <t:${created}:D>)`);
    }
  } else {
    lines.push(`**Applicant:** ${escapeMarkdown(cut(view.applicantName, 100))} (no Discord account)`);
  }
  if (view.formName) lines.push(`**Form:** ${escapeMarkdown(cut(view.formName, 100))}`);
  lines.push(`**Submitted:** <t:${unix(view.submittedAt)}:f>`);
  lines.push(`**Status:** ${status.text}`);

  // Outcome fields first, so answers are what gets dropped when the message is full.
  const outcome: APIEmbedField[] = [];
  if (decided && view.decidedBy) {
    const who = view.decidedBy.discordUserId
      ? `<@${view.decidedBy.discordUserId}> (${escapeMarkdown(cut(view.decidedBy.name, 100))})`
      : escapeMarkdown(cut(view.decidedBy.name, 100));
    const when = view.decidedAt ? ` <t:${unix(view.decidedAt)}:f>` : "";
    const verb = view.status === "REJECTED" ? "Rejected" : "Approved";
    outcome.push({ name: "Decision", value: cut(`${verb} by ${who}${when}`, EMBED_LIMITS.fieldValue) });
  }
  if (view.reason) outcome.push({ name: "Reason", value: cut(escapeMarkdown(view.reason), EMBED_LIMITS.fieldValue) });
  if (view.roleErrorMessage && view.roleAssignmentStatus === "FAILED") {
    outcome.push({ name: "Role problem", value: cut(view.roleErrorMessage, EMBED_LIMITS.fieldValue) });
  }

  const rest = `Full application: ${view.dashboardUrl}`;
  const embed: APIEmbed = {
    title: cut(`Application from ${view.applicantName}`, EMBED_LIMITS.title),
    url: view.dashboardUrl,
    description: "",
    color: status.color,
    fields: [],
    footer: { text: reviewMessageFooter(view.applicationId) },
  };
  let truncated = false;
  const answerFields: APIEmbedField[] = [];
  for (const answer of view.answers) {
    const name = cut(answer.label || "Answer", EMBED_LIMITS.fieldName);
    const raw = escapeMarkdown(answerText(answer.value));
    const value = raw.length === 0 ? "(no answer)" : cut(raw, EMBED_LIMITS.fieldValue);
    if (value.length < raw.length || name.length < (answer.label || "Answer").length) truncated = true;
    answerFields.push({ name, value });
  }
  // Room for the outcome fields; the rest of the 25 for answers.
  const answerRoom = EMBED_LIMITS.fields - outcome.length;
  if (answerFields.length > answerRoom) {
    answerFields.length = answerRoom;
    truncated = true;
  }
  const build = () => {
    const description = cut([...lines, ...(truncated ? ["", rest] : [])].join("\n"), EMBED_LIMITS.description);
    return { ...embed, description, fields: [...outcome, ...answerFields] };
  };
  let result = build();
  while (embedSize(result) > EMBED_LIMITS.total && answerFields.length > 0) {
    answerFields.pop();
    truncated = true;
    result = build();
  }

  const buttons: APIButtonComponent[] = [];
  if (!decided) {
    buttons.push(
      {
        type: ComponentType.Button,
        style: ButtonStyle.Success,
        label: "Approve",
        custom_id: reviewCustomId("approve", view.applicationId),
      },
      {
        type: ComponentType.Button,
        style: ButtonStyle.Danger,
        label: "Reject",
        custom_id: reviewCustomId("reject", view.applicationId),
      },
    );
  }
  buttons.push({
    type: ComponentType.Button,
    style: ButtonStyle.Link,
    label: "Open in Guildgate",
    url: view.dashboardUrl,
  });
  return {
    content: "",
    embeds: [result],
    components: [{ type: ComponentType.ActionRow, components: buttons }],
    allowed_mentions: { parse: [] },
  };
}
