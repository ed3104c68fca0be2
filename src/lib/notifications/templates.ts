// Decision messages from per-organization templates. Pure (no database, no Discord), so the settings page previews
// with exactly the function the job sends with. Templates are plain text: placeholders are filled, mentions are
// neutralized in the text (and the job sends allowed_mentions: { parse: [] } as well), and the result fits Discord's
// 2000-character limit. Only four values exist to fill in, none of them a secret; they come from users (applicant,
// reviewer, admins), so their Markdown is escaped (src/lib/discord/markdown.ts) while the template's own stays.
import { escapeMarkdown } from "@/lib/discord/markdown";

export const PLACEHOLDERS = ["applicant", "server", "form", "reason"] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];
export type TemplateValues = Record<Placeholder, string>;
export type DecisionEvent = "approved" | "rejected" | "revoked";
/** What a message is about: a decision, or the follow-up of an approval whose role failed (role_delayed). */
export type MessageEvent = DecisionEvent | "role_delayed";

/** Discord's limit for a message's content. */
export const DISCORD_MESSAGE_MAX = 2000;
/** A template may be shorter than a message: the filled-in values need room too. */
export const TEMPLATE_MAX = 1500;
export const NO_REASON_TEXT = "No reason was given.";

export const DEFAULT_TEMPLATES: Record<DecisionEvent, string> = {
  // Sent once the role is assigned (the message waits for it), so it may say the role is there.
  approved:
    "Hi {applicant}! Your application to {server} ({form}) was approved. Welcome aboard: your role is waiting for you in the server.",
  rejected: "Hi {applicant}, your application to {server} ({form}) was not accepted.\nReason: {reason}",
  revoked: "Hi {applicant}, your approval for {server} ({form}) was withdrawn.\nReason: {reason}",
};

const PLACEHOLDER = /\{([a-zA-Z_]+)\}/g;

/** Placeholders a template uses that do not exist (shown to the admin as a field problem). */
export function unknownPlaceholders(template: string): string[] {
  const unknown = new Set<string>();
  for (const [, name] of template.matchAll(PLACEHOLDER)) {
    if (!(PLACEHOLDERS as readonly string[]).includes(name!)) unknown.add(name!);
  }
  return [...unknown];
}

/**
 * Mentions as inert text: @everyone/@here get a zero-width space after the @, and user, role and channel mentions
 * (<@id>, <@!id>, <@&id>, <#id>) one after the <, so Discord shows them as typed and pings nobody.
 */
export function neutralizeMentions(text: string): string {
  return text.replace(/@(everyone|here)/gi, "@\u200b$1").replace(/<(@[!&]?|#)(\d+)>/g, "<\u200b$1$2>");
}

function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  let out = text.slice(0, max - 1);
  if (/[\uD800-\uDBFF]$/.test(out)) out = out.slice(0, -1);
  return `${out}…`;
}

export type RenderTemplateOptions = {
  template: string | null | undefined;
  event: DecisionEvent;
  values: TemplateValues;
};

/** The message as sent: the template (or the default) filled in, mentions neutralized, at most 2000 characters. */
export function renderTemplate({ template, event, values }: RenderTemplateOptions): string {
  const source = template && template.trim() ? template : DEFAULT_TEMPLATES[event];
  const filled: TemplateValues = {
    applicant: escapeMarkdown(cut(values.applicant, 100)),
    server: escapeMarkdown(cut(values.server, 100)),
    form: escapeMarkdown(cut(values.form, 100)),
    reason: escapeMarkdown(cut(values.reason.trim() || NO_REASON_TEXT, 1000)),
  };
  const text = source.replace(PLACEHOLDER, (whole, name: string) =>
    (PLACEHOLDERS as readonly string[]).includes(name) ? filled[name as Placeholder] : whole,
  );
  return cut(neutralizeMentions(text), DISCORD_MESSAGE_MAX);
}

const LOG_VERB: Record<DecisionEvent, string> = {
  approved: "approved",
  rejected: "rejected",
  revoked: "revoked (approval withdrawn)",
};

/** The line posted in the organization's log channel (no template: the log is for the team). */
export function renderLogLine(event: DecisionEvent, values: TemplateValues & { reviewer: string }): string {
  const reason =
    event !== "approved" ? ` Reason: ${escapeMarkdown(cut(values.reason.trim() || NO_REASON_TEXT, 1000))}` : "";
  const [applicant, form, reviewer] = [values.applicant, values.form, values.reviewer].map((v) =>
    escapeMarkdown(cut(v, 100)),
  );
  return cut(
    neutralizeMentions(`Application of ${applicant} (${form}) ${LOG_VERB[event]} by ${reviewer}.${reason}`),
    DISCORD_MESSAGE_MAX,
  );
}

export type RenderRoleDelayedOptions = {
  values: Omit<TemplateValues, "reason">;
  /** The organization's invite: not being in the server is the failure an applicant can fix themselves. */
  inviteUrl: string | null;
};

/**
 * The one message an applicant gets when their approval's role fails (no template: it says what happened and what
 * comes next; the welcome follows once the role is assigned). Rendered with the approval and held until a failure,
 * so it covers both cases: not in the server yet (join, and the role follows by itself), or the team is on it.
 */
export function renderRoleDelayed({ values, inviteUrl }: RenderRoleDelayedOptions): string {
  const [applicant, server, form] = [values.applicant, values.server, values.form].map((v) =>
    escapeMarkdown(cut(v, 100)),
  );
  const text =
    `Hi ${applicant}! Your application to ${server} (${form}) was approved, ` +
    `but your role is taking longer than usual. If you are not in the server yet, join it${inviteUrl ? ` (${inviteUrl})` : ""}: ` +
    "the role follows by itself once you are in. Otherwise the server's team is fixing it, nothing to do on your side. " +
    "We will message you once you have it.";
  return cut(neutralizeMentions(text), DISCORD_MESSAGE_MAX);
}

/** Sample values for the settings preview. */
export const SAMPLE_VALUES: TemplateValues = {
  applicant: "Alex Applicant",
  server: "Your Server",
  form: "Member application",
  reason: "We are not taking new members from outside the region right now.",
};
