// The decision messages of one application and whether each reached Discord. A message that could not be delivered
// (DMs closed) is shown as such: the decision itself stands. One that failed or was refused can be sent again by a
// reviewer (resend-button.tsx); an approval's welcome is shown held until the role is assigned.
import type { ApplicantMessageStatus } from "@/generated/prisma/enums";
import { formatDate } from "@/components/applications/types";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { ResendButton } from "./resend-button";
import styles from "./messages.module.css";

export type DecisionMessageView = {
  id: string;
  target: string;
  event: string;
  content: string;
  status: ApplicantMessageStatus;
  errorMessage: string | null;
  attempts: number;
  sentAt: Date | null;
};

const TONE = {
  PENDING: "warning",
  SENT: "success",
  NOT_DELIVERED: "neutral",
  FAILED: "danger",
  HELD: "neutral",
} as const;
const BADGE = { PENDING: "Sending", SENT: "Sent", NOT_DELIVERED: "Not delivered", FAILED: "Failed", HELD: "Held" };
const EVENT: Record<string, string> = {
  approved: "approval",
  rejected: "rejection",
  revoked: "revocation",
  role_delayed: "approval, role delayed",
};

function statusText(m: DecisionMessageView): string {
  switch (m.status) {
    case "PENDING":
      return m.attempts > 1 ? `Sending (attempt ${m.attempts})…` : "Sending…";
    case "SENT":
      return m.sentAt ? `Sent ${formatDate(m.sentAt.toISOString())}` : "Sent";
    case "NOT_DELIVERED":
      return m.errorMessage ?? "Not delivered.";
    case "FAILED":
      return m.errorMessage ?? "Not sent.";
    case "HELD":
      return "Waits for the role: sent once the applicant has it.";
  }
}

export type DecisionMessagesProps = {
  messages: DecisionMessageView[];
  /** Given to reviewers: a failed or refused message gets a "Send again" button. */
  resend?: { slug: string; applicationId: string };
};

export function DecisionMessages({ messages, resend }: DecisionMessagesProps) {
  if (!messages.length) return null;
  return (
    <Card title="Messages" description="What the bot told the applicant and the log channel about the decision.">
      <ul className={styles.list}>
        {messages.map((m) => (
          <li key={m.id} className={styles.item} data-status={m.status}>
            <div className={styles.head}>
              <strong>
                {m.target === "dm" ? "Direct message to the applicant" : "Log channel"} · {EVENT[m.event] ?? m.event}
              </strong>
              <Badge tone={TONE[m.status]}>{BADGE[m.status]}</Badge>
            </div>
            <p className={styles.state} role={m.status === "NOT_DELIVERED" ? "status" : undefined}>
              {statusText(m)}
            </p>
            {resend && (m.status === "FAILED" || m.status === "NOT_DELIVERED") ? (
              <div>
                <ResendButton slug={resend.slug} applicationId={resend.applicationId} messageId={m.id} />
              </div>
            ) : null}
            <blockquote className={styles.content}>{m.content}</blockquote>
          </li>
        ))}
      </ul>
    </Card>
  );
}
