// The decision messages of one application and whether each reached Discord. A message that could not be delivered
// (DMs closed) is shown as such: the decision itself stands.
import type { ApplicantMessageStatus } from "@/generated/prisma/enums";
import { formatDate } from "@/components/applications/types";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
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

const TONE = { PENDING: "warning", SENT: "success", NOT_DELIVERED: "neutral", FAILED: "danger" } as const;

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
  }
}

export function DecisionMessages({ messages }: { messages: DecisionMessageView[] }) {
  if (!messages.length) return null;
  return (
    <Card title="Messages" description="What the bot told the applicant and the log channel about the decision.">
      <ul className={styles.list}>
        {messages.map((m) => (
          <li key={m.id} className={styles.item} data-status={m.status}>
            <div className={styles.head}>
              <strong>
                {m.target === "dm" ? "Direct message to the applicant" : "Log channel"} ·{" "}
                {m.event === "approved" ? "approval" : "rejection"}
              </strong>
              <Badge tone={TONE[m.status]}>
                {m.status === "NOT_DELIVERED"
                  ? "Not delivered"
                  : m.status === "SENT"
                    ? "Sent"
                    : m.status === "FAILED"
                      ? "Failed"
                      : "Sending"}
              </Badge>
            </div>
            <p className={styles.state} role={m.status === "NOT_DELIVERED" ? "status" : undefined}>
              {statusText(m)}
            </p>
            <blockquote className={styles.content}>{m.content}</blockquote>
          </li>
        ))}
      </ul>
    </Card>
  );
}
