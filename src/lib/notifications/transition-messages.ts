// The applicant's messages that wait for an approval's role, released or dropped by the transition that decides it:
// a piece of every transition's statement (composed by the state machine, in both of its modes). An approval that
// has a role to give writes two DMs HELD with the decision, rendered then (enqueue.ts), and no job:
// - role assigned (by the job, or marked handled by hand): the welcome is released (PENDING, with its job); the
//   "role follows" note, never needed, is dropped;
// - role failed: the "role follows" note is released (once: a later failure finds nothing held), and the welcome
//   waits on for the retry or re-check that assigns the role;
// - the approval ends otherwise (rejected or revoked after the failure): what is still held is dropped, never sent.
import { Prisma } from "@/generated/prisma/client";
import { addJobSql } from "@/lib/jobs/add-job";
import type { Cte, TransitionEffect } from "@/lib/statement";
import { NOTIFY_APPLICANT_TASK, NOTIFY_JOB_MAX_ATTEMPTS, notifyJobKey } from "./enqueue";

/** The events of an approval's held DMs. */
export const WELCOME_EVENT = "approved";
export const ROLE_DELAYED_EVENT = "role_delayed";

/** The held DMs (`msg`) of the moved application (`m`), of these events. */
const held = (events: readonly string[]) => Prisma.sql`
  msg."applicationId" = m.id AND msg."organizationId" = m."organizationId" AND msg.target = 'dm'
    AND msg.status = 'HELD'::"ApplicantMessageStatus" AND msg.event IN (${Prisma.join(events)})`;

/** Sets the held DM of `event` PENDING and adds its notify-applicant job. */
function release(moved: Prisma.Sql, event: string): Cte[] {
  return [
    {
      name: "notify_released",
      sql: Prisma.sql`
        UPDATE "ApplicantMessage" msg SET status = 'PENDING'::"ApplicantMessageStatus", "updatedAt" = now()
        FROM ${moved} m WHERE ${held([event])}
        RETURNING msg.id, msg."organizationId"`,
    },
    {
      name: "notify_released_jobs",
      counted: true,
      sql: Prisma.sql`SELECT ${addJobSql({
        identifier: NOTIFY_APPLICANT_TASK,
        payload: Prisma.sql`json_build_object('messageId', r.id::text, 'organizationId', r."organizationId"::text)`,
        jobKey: notifyJobKey.sql(Prisma.sql`r.id::text`),
        maxAttempts: NOTIFY_JOB_MAX_ATTEMPTS,
      })}
        FROM notify_released r`,
    },
  ];
}

function drop(moved: Prisma.Sql, events: readonly string[]): Cte {
  return {
    name: "notify_dropped",
    sql: Prisma.sql`DELETE FROM "ApplicantMessage" msg USING ${moved} m WHERE ${held(events)}`,
  };
}

export const applicantMessageTransitionEffect: TransitionEffect = ({ moved, from, to }) => {
  if (to === "APPROVED_ROLE_ASSIGNED") return [...release(moved, WELCOME_EVENT), drop(moved, [ROLE_DELAYED_EVENT])];
  if (to === "APPROVED_ROLE_FAILED") return release(moved, ROLE_DELAYED_EVENT);
  // Rejected or revoked after a failed role (a retry, back to APPROVED_PENDING_ROLE, keeps them held).
  if (from === "APPROVED_ROLE_FAILED" && to !== "APPROVED_PENDING_ROLE")
    return [drop(moved, [WELCOME_EVENT, ROLE_DELAYED_EVENT])];
  return [];
};
