// The state machine's two modes write one transition the same way: applyTransition (in the caller's Prisma
// transaction) and applyTransitionStatement (one statement on the pool, the role job's hot path). Each case below
// runs in both modes against one expectation: the moved row, the audit row, the webhook event with its delivery and
// delivery job, the review-message job; and a lost race writes none of them.
import { beforeAll, describe, expect, it } from "vitest";
import type { ApplicationStatus } from "@/generated/prisma/enums";
import {
  applyTransition,
  applyTransitionStatement,
  type StatementColumns,
  type TransitionActor,
} from "@/lib/applications/state-machine/state-machine";
import { db } from "@/lib/db";
import { isAppError } from "@/lib/errors/app-error";
import { ensureJobSchema } from "@/lib/jobs/migrate";
import { createEndpoint } from "@/lib/webhooks/endpoints";
import { createApplication, createOrgWithGuild, createReviewer, listJobs } from "~tests/helpers/applications";

beforeAll(async () => {
  await ensureJobSchema();
});

type Transition = {
  applicationId: string;
  organizationId: string;
  from: ApplicationStatus;
  to: ApplicationStatus;
  expectedVersion: number;
  columns: Pick<StatementColumns, "roleAssignmentStatus" | "roleErrorCode" | "roleErrorMessage">;
  actor: TransitionActor;
  action: string;
  metadata: Record<string, unknown>;
  ip?: string;
};

type Mode = (t: Transition) => Promise<"applied" | "conflict">;

const MODES: Record<string, Mode> = {
  applyTransition: async ({ columns, ...t }) => {
    try {
      await db.$transaction((tx) => applyTransition({ tx, ...t, data: columns }));
      return "applied";
    } catch (error) {
      if (isAppError(error) && error.code === "conflict") return "conflict";
      throw error;
    }
  },
  applyTransitionStatement: async ({ columns, ...t }) =>
    (await applyTransitionStatement({ ...t, set: columns })) ? "applied" : "conflict",
};

/** An application waiting for its role, with an endpoint subscribed to role events and a review message. */
async function waitingApplication() {
  const { organization } = await createOrgWithGuild();
  const app = await createApplication({ organizationId: organization.id, status: "APPROVED_PENDING_ROLE" });
  await db.application.update({ where: { id: app.id }, data: { roleAssignmentStatus: "PENDING", version: 3 } });
  const { endpoint } = await createEndpoint({
    organizationId: organization.id,
    input: { url: "https://hooks.example.com/in", description: "roles", eventTypes: ["role.assigned", "role.failed"] },
    actor: {},
  });
  await db.applicationReviewMessage.create({
    data: { applicationId: app.id, organizationId: organization.id, channelId: "1100000000000000001" },
  });
  return { organizationId: organization.id, applicationId: app.id, endpointId: endpoint.id };
}

/** Everything the transition wrote, with ids replaced by names so both modes compare equal. */
async function sideEffects(ids: Record<string, string>) {
  const { applicationId, organizationId } = ids;
  const deliveries = await db.webhookDelivery.findMany({ where: { organizationId } });
  const names: Record<string, string> = {
    ...ids,
    ...Object.fromEntries(deliveries.map((d, i) => [`delivery${i}`, d.id])),
  };
  const named = (value: unknown): unknown =>
    JSON.parse(
      Object.entries(names).reduce((text, [name, id]) => text.replaceAll(id, `<${name}>`), JSON.stringify(value)),
    );
  const app = await db.application.findUniqueOrThrow({ where: { id: applicationId } });
  const audit = await db.auditEvent.findMany({ where: { organizationId, targetType: "application" } });
  const events = await db.webhookEvent.findMany({ where: { organizationId } });
  const jobs = await listJobs();
  return named({
    application: {
      status: app.status,
      version: app.version,
      roleAssignmentStatus: app.roleAssignmentStatus,
      roleErrorCode: app.roleErrorCode,
      roleErrorMessage: app.roleErrorMessage,
    },
    audit: audit.map((a) => ({
      action: a.action,
      actorUserId: a.actorUserId,
      actorApiTokenId: a.actorApiTokenId,
      targetId: a.targetId,
      outcome: a.outcome,
      metadata: a.metadata,
      ip: a.ip,
    })),
    events: events.map((e) => {
      const { timestamp, ...payload } = e.payload as { timestamp: string };
      expect(new Date(timestamp).getTime()).toBeGreaterThan(Date.now() - 60_000);
      return { type: e.type, payload };
    }),
    deliveries: deliveries.map((d) => ({
      endpointId: d.endpointId,
      status: d.status,
      event: events.findIndex((e) => e.id === d.eventId),
    })),
    jobs: jobs.map((j) => ({ task: j.task, key: j.key, payload: j.payload, maxAttempts: j.max_attempts })),
  });
}

describe.each(Object.entries(MODES))("%s", (_name, run) => {
  it("APPROVED_PENDING_ROLE -> APPROVED_ROLE_ASSIGNED: the row, its audit row, role.assigned with a delivery and its job, the review-message job", async () => {
    const ids = await waitingApplication();
    const outcome = await run({
      ...ids,
      from: "APPROVED_PENDING_ROLE",
      to: "APPROVED_ROLE_ASSIGNED",
      expectedVersion: 3,
      columns: { roleAssignmentStatus: "SUCCESS", roleErrorCode: null, roleErrorMessage: null },
      actor: { system: true },
      action: "application.role_assigned",
      metadata: { discord: "assigned", attempt: 1 },
    });
    expect(outcome).toBe("applied");
    expect(await sideEffects(ids)).toEqual({
      application: {
        status: "APPROVED_ROLE_ASSIGNED",
        version: 4,
        roleAssignmentStatus: "SUCCESS",
        roleErrorCode: null,
        roleErrorMessage: null,
      },
      audit: [
        {
          action: "application.role_assigned",
          actorUserId: null,
          actorApiTokenId: null,
          targetId: "<applicationId>",
          outcome: "SUCCESS",
          metadata: {
            from: "APPROVED_PENDING_ROLE",
            to: "APPROVED_ROLE_ASSIGNED",
            actor: "system",
            discord: "assigned",
            attempt: 1,
          },
          ip: null,
        },
      ],
      events: [
        {
          type: "role.assigned",
          payload: {
            type: "role.assigned",
            data: {
              applicationId: "<applicationId>",
              organizationId: "<organizationId>",
              status: "APPROVED_ROLE_ASSIGNED",
              previousStatus: "APPROVED_PENDING_ROLE",
            },
          },
        },
      ],
      deliveries: [{ endpointId: "<endpointId>", status: "PENDING", event: 0 }],
      jobs: [
        {
          task: "deliver-webhook",
          key: "webhook:<delivery0>",
          payload: { deliveryId: "<delivery0>" },
          maxAttempts: 5,
        },
        {
          task: "sync-review-message",
          key: "review-message:<applicationId>",
          payload: { applicationId: "<applicationId>", organizationId: "<organizationId>" },
          maxAttempts: 8,
        },
      ],
    });
  });

  it("APPROVED_PENDING_ROLE -> APPROVED_ROLE_FAILED by a user: a FAILED audit row with the user and address, role.failed with the error", async () => {
    const ids = await waitingApplication();
    const reviewer = await createReviewer();
    const outcome = await run({
      ...ids,
      from: "APPROVED_PENDING_ROLE",
      to: "APPROVED_ROLE_FAILED",
      expectedVersion: 3,
      columns: {
        roleAssignmentStatus: "FAILED",
        roleErrorCode: "missing_permissions",
        roleErrorMessage: "The bot may not manage this role.",
      },
      actor: { userId: reviewer.id },
      action: "application.role_failed",
      metadata: { discord: "missing_permissions" },
      ip: "203.0.113.7",
    });
    expect(outcome).toBe("applied");
    const effects = (await sideEffects({ ...ids, reviewerId: reviewer.id })) as Record<string, unknown[]>;
    expect(effects.audit).toEqual([
      {
        action: "application.role_failed",
        actorUserId: "<reviewerId>",
        actorApiTokenId: null,
        targetId: "<applicationId>",
        outcome: "FAILED",
        metadata: { from: "APPROVED_PENDING_ROLE", to: "APPROVED_ROLE_FAILED", discord: "missing_permissions" },
        ip: "203.0.113.7",
      },
    ]);
    expect(effects.events).toEqual([
      {
        type: "role.failed",
        payload: {
          type: "role.failed",
          data: {
            applicationId: "<applicationId>",
            organizationId: "<organizationId>",
            status: "APPROVED_ROLE_FAILED",
            previousStatus: "APPROVED_PENDING_ROLE",
            roleError: { code: "missing_permissions", message: "The bot may not manage this role." },
          },
        },
      },
    ]);
    expect(effects.jobs).toHaveLength(2);
  });

  it("a lost race (the version moved on) writes nothing: no row change, no audit row, no event, no job", async () => {
    const ids = await waitingApplication();
    const before = await sideEffects(ids);
    const outcome = await run({
      ...ids,
      from: "APPROVED_PENDING_ROLE",
      to: "APPROVED_ROLE_ASSIGNED",
      expectedVersion: 2,
      columns: { roleAssignmentStatus: "SUCCESS" },
      actor: { system: true },
      action: "application.role_assigned",
      metadata: {},
    });
    expect(outcome).toBe("conflict");
    expect(await sideEffects(ids)).toEqual(before);
    expect(before).toMatchObject({ audit: [], events: [], jobs: [] });
  });
});
