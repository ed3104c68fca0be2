"use client";
// The decision message as the applicant will read it: the same renderTemplate the job sends with (placeholders
// filled with sample values and the real server name, mentions neutralized, cut at Discord's 2000 characters).
import {
  DISCORD_MESSAGE_MAX,
  renderTemplate,
  SAMPLE_VALUES,
  unknownPlaceholders,
  type DecisionEvent,
} from "@/lib/notifications/templates";
import styles from "./applicants.module.css";

export type TemplatePreviewProps = { template: string; event: DecisionEvent; server: string };

const PREVIEW_NAME: Record<DecisionEvent, string> = {
  approved: "approval",
  rejected: "rejection",
  revoked: "revocation",
};

export function TemplatePreview({ template, event, server }: TemplatePreviewProps) {
  const text = renderTemplate({ template, event, values: { ...SAMPLE_VALUES, server } });
  const unknown = unknownPlaceholders(template);
  return (
    <figure className={styles.preview} aria-label={`Preview of the ${PREVIEW_NAME[event]} message`}>
      <figcaption className={styles.previewCaption}>
        Preview{template.trim() ? "" : " (the default message)"} · {text.length} of {DISCORD_MESSAGE_MAX} characters
      </figcaption>
      <p className={styles.previewText} data-testid={`preview-${event}`}>
        {text}
      </p>
      {unknown.length ? (
        <p className={styles.previewWarning} role="alert">
          Unknown placeholder {unknown.map((u) => `{${u}}`).join(", ")}: it is sent as typed. Use {"{applicant}"},{" "}
          {"{server}"}, {"{form}"} or {"{reason}"}.
        </p>
      ) : null}
    </figure>
  );
}
