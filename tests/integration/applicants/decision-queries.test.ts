// A decision's transaction never sends a query while another is in flight on its connection: pg queues such a
// query with a DeprecationWarning today and refuses it from pg@9. Prisma's query interpreter loads sibling
// relations of one read concurrently (prisma/orm#29407), so reads inside a transaction keep one relation per level.
import pg from "pg";
import { afterEach, expect, it } from "vitest";
import { updateApplicationStatus } from "@/lib/applications/decisions/review";
import { db } from "@/lib/db";
import { createApplication, createOrgWithGuild, createReviewer } from "~tests/helpers/applications";

type Query = pg.Client["query"];
const original: Query = pg.Client.prototype.query;
afterEach(() => {
  pg.Client.prototype.query = original;
});

/** Records every query sent to a connection that is still busy with another (pg's private state, tests only). */
function recordOverlaps(): string[] {
  const overlaps: string[] = [];
  pg.Client.prototype.query = function (this: pg.Client, ...args: Parameters<Query>) {
    const state = this as unknown as { _activeQuery: unknown; _queryQueue: unknown[] };
    if (state._activeQuery || state._queryQueue.length > 0) {
      const config = args[0] as string | { text?: string };
      overlaps.push(typeof config === "string" ? config : (config.text ?? ""));
    }
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  } as Query;
  return overlaps;
}

it("approving and rejecting (DM and log channel on) send one query at a time on the transaction's connection", async () => {
  const { organization } = await createOrgWithGuild();
  await db.applicantSettings.create({ data: { organizationId: organization.id, logChannelId: "1100000000000000001" } });
  const reviewer = await createReviewer();
  const approved = await createApplication({ organizationId: organization.id });
  const rejected = await createApplication({ organizationId: organization.id });

  const overlaps = recordOverlaps();
  await updateApplicationStatus({
    applicationId: approved.id,
    organizationId: organization.id,
    status: "APPROVED",
    reviewerId: reviewer.id,
  });
  await updateApplicationStatus({
    applicationId: rejected.id,
    organizationId: organization.id,
    status: "REJECTED",
    reviewerId: reviewer.id,
  });
  pg.Client.prototype.query = original;

  expect(overlaps).toEqual([]);
  // The messages were written, with the reviewer's name in the log line (the approval's DM and its "role follows"
  // note held for the role job's outcome).
  const messages = await db.applicantMessage.findMany({ where: { organizationId: organization.id } });
  expect(messages.map((m) => `${m.event}:${m.target}:${m.status}`).sort()).toEqual([
    "approved:dm:HELD",
    "approved:log:PENDING",
    "rejected:dm:PENDING",
    "rejected:log:PENDING",
    "role_delayed:dm:HELD",
  ]);
  expect(messages.find((m) => m.target === "log")!.content).toContain(reviewer.name);
});
