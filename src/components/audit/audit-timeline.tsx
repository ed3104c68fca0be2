import type { AuditEntry } from "@/lib/audit/list-audit";
import { describeAction, describeActor, type Subjects } from "./describe";
import styles from "./audit.module.css";

/** A vertical list of events, oldest first: what happened, who did it, when. */
export function AuditTimeline({ entries, subjects = {} }: { entries: AuditEntry[]; subjects?: Subjects }) {
  if (entries.length === 0) return <p className={styles.muted}>Nothing recorded yet.</p>;
  return (
    <ol className={styles.timeline}>
      {entries.map((e) => (
        <li key={e.id} className={styles.event} data-outcome={e.outcome}>
          <span className={styles.dot} aria-hidden="true" />
          <div>
            <p className={styles.what}>{describeAction(e, subjects)}</p>
            <p className={styles.who}>
              {describeActor(e.actor, e, subjects)} ·{" "}
              <time dateTime={e.createdAt.toISOString()}>
                {e.createdAt.toISOString().replace("T", " ").slice(0, 19)} UTC
              </time>
            </p>
          </div>
        </li>
      ))}
    </ol>
  );
}
