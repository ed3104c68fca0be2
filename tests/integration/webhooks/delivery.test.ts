import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Webhook } from "standardwebhooks";
import { updateApplicationStatus } from "@/lib/applications/decisions/review";
import { transitionApplication } from "@/lib/applications/state-machine/state-machine";
import { db } from "@/lib/db";
import { ensureJobSchema } from "@/lib/jobs/migrate";
import { runDelivery } from "@/lib/webhooks/deliver";
import { createEndpoint, rotateEndpointSecret } from "@/lib/webhooks/endpoints";
import type { WebhookSettings } from "@/lib/webhooks/settings";
import type { WebhookEventType } from "@/lib/webhooks/events";
import { createApplication, createOrgWithGuild, createReviewer, listJobs } from "~tests/helpers/applications";
import { letLocalReceiversThrough, startReceiver, type Receiver } from "~tests/helpers/webhook-receiver";

export const quick: WebhookSettings = {
  retryDelaysMs: [50, 100, 200, 400],
  jitter: 0,
  timeoutMs: 2_000,
  disableAfterFailures: 3,
  disableAfterMs: 0,
  allowPrivateDestinations: true,
  staleLockMs: 1_000,
  rotationOverlapMs: 60_000,
  maxInFlightPerEndpoint: 2,
};

let receivers: Receiver[] = [];
async function receiver(options: Parameters<typeof startReceiver>[0] = {}) {
  const r = await startReceiver(options);
  receivers.push(r);
  return r;
}

beforeAll(async () => {
  await ensureJobSchema();
});
beforeEach(() => letLocalReceiversThrough());
afterEach(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  receivers = [];
});

async function orgWithEndpoint(
  url: string,
  eventTypes: WebhookEventType[] = ["application.approved", "application.rejected", "application.submitted"],
) {
  const { organization } = await createOrgWithGuild();
  const { endpoint, secret } = await createEndpoint({
    organizationId: organization.id,
    input: { url, description: "test", eventTypes },
    actor: {},
  });
  return { organization, endpoint, secret };
}

async function deliveriesOf(endpointId: string) {
  return db.webhookDelivery.findMany({
    where: { endpointId },
    include: { event: true, attemptLog: { orderBy: { createdAt: "asc" } } },
  });
}

describe("outbox", () => {
  it("an approval writes one application.approved event and one delivery job in its transaction", async () => {
    const r = await receiver();
    const { organization, endpoint } = await orgWithEndpoint(r.url);
    const app = await createApplication({ organizationId: organization.id });
    const reviewer = await createReviewer();

    await updateApplicationStatus({
      applicationId: app.id,
      organizationId: organization.id,
      status: "APPROVED",
      reviewerId: reviewer.id,
    });

    const deliveries = await deliveriesOf(endpoint.id);
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]!.event).toMatchObject({ type: "application.approved", organizationId: organization.id });
    expect(deliveries[0]!.event.payload).toMatchObject({
      type: "application.approved",
      data: { applicationId: app.id, previousStatus: "PENDING", status: "APPROVED_PENDING_ROLE" },
    });
    expect((await listJobs()).filter((j) => j.task === "deliver-webhook")).toEqual([
      expect.objectContaining({ key: `webhook:${deliveries[0]!.id}` }),
    ]);
  });

  it("a transition whose transaction rolls back leaves no event (none invented)", async () => {
    const r = await receiver();
    const { organization } = await orgWithEndpoint(r.url);
    const app = await createApplication({ organizationId: organization.id });

    await expect(
      db.$transaction(async (tx) => {
        await transitionApplication({
          tx,
          applicationId: app.id,
          organizationId: organization.id,
          from: "PENDING",
          to: "REJECTED",
          expectedVersion: 0,
          actor: {},
        });
        throw new Error("crash after the transition");
      }),
    ).rejects.toThrow("crash after the transition");

    expect(await db.webhookEvent.count()).toBe(0);
    expect(await db.webhookDelivery.count()).toBe(0);
  });

  it("only subscribed, enabled endpoints of the same organization get the event", async () => {
    const r = await receiver();
    const { organization, endpoint } = await orgWithEndpoint(r.url, ["application.rejected"]);
    const other = await orgWithEndpoint(r.url);
    const paused = await createEndpoint({
      organizationId: organization.id,
      input: { url: r.url, description: "", eventTypes: ["application.approved"] },
      actor: {},
    });
    await db.webhookEndpoint.update({ where: { id: paused.endpoint.id }, data: { enabled: false } });
    const app = await createApplication({ organizationId: organization.id });
    const reviewer = await createReviewer();

    await updateApplicationStatus({
      applicationId: app.id,
      organizationId: organization.id,
      status: "APPROVED",
      reviewerId: reviewer.id,
    });
    expect(await db.webhookDelivery.count()).toBe(0);
    const second = await createApplication({ organizationId: organization.id });
    await updateApplicationStatus({
      applicationId: second.id,
      organizationId: organization.id,
      status: "REJECTED",
      reviewerId: reviewer.id,
    });
    expect((await db.webhookDelivery.findMany()).map((d) => d.endpointId)).toEqual([endpoint.id]);
    expect(await db.webhookDelivery.count({ where: { endpointId: other.endpoint.id } })).toBe(0);
  });
});

describe("signatures", () => {
  it("a receiver verifying with standardwebhooks accepts our delivery and rejects a tampered one", async () => {
    const r = await receiver();
    const { organization, endpoint, secret } = await orgWithEndpoint(r.url);
    r.setSecret(secret);
    const app = await createApplication({ organizationId: organization.id });
    const reviewer = await createReviewer();
    await updateApplicationStatus({
      applicationId: app.id,
      organizationId: organization.id,
      status: "REJECTED",
      reviewerId: reviewer.id,
    });
    const [delivery] = await deliveriesOf(endpoint.id);

    expect(await runDelivery({ deliveryId: delivery!.id, settings: quick })).toBe("succeeded");

    expect(r.received).toHaveLength(1);
    const got = r.received[0]!;
    expect(got.verified).toBe(true);
    expect(got.id).toBe(delivery!.eventId);
    expect(JSON.parse(got.body)).toMatchObject({
      type: "application.rejected",
      data: { applicationId: app.id, status: "REJECTED" },
    });
    const wh = new Webhook(secret);
    const tamperedBody = got.body.replace("REJECTED", "APPROVED");
    expect(() => wh.verify(tamperedBody, got.headers)).toThrow();
    expect(() => wh.verify(got.body, { ...got.headers, "webhook-id": "another-id" })).toThrow();
    expect(() =>
      new Webhook(`whsec_${Buffer.alloc(32, 1).toString("base64")}`).verify(got.body, got.headers),
    ).toThrow();

    const after = await db.webhookDelivery.findUniqueOrThrow({ where: { id: delivery!.id } });
    expect(after).toMatchObject({
      status: "SUCCEEDED",
      attempts: 1,
      lastStatusCode: 200,
      lastError: null,
      nextAttemptAt: null,
    });
    expect(after.lastLatencyMs).toBeGreaterThanOrEqual(0);
  });

  it("after a rotation both the old and the new secret verify, during the overlap", async () => {
    const r = await receiver();
    const { organization, endpoint, secret: oldSecret } = await orgWithEndpoint(r.url);
    const rotated = await rotateEndpointSecret({ organizationId: organization.id, endpointId: endpoint.id, actor: {} });
    expect(rotated.secret).not.toBe(oldSecret);
    const app = await createApplication({ organizationId: organization.id });
    await updateApplicationStatus({
      applicationId: app.id,
      organizationId: organization.id,
      status: "REJECTED",
      reviewerId: (await createReviewer()).id,
    });
    const [delivery] = await deliveriesOf(endpoint.id);

    await runDelivery({ deliveryId: delivery!.id, settings: quick });

    const got = r.received[0]!;
    expect(got.headers["webhook-signature"]!.split(" ")).toHaveLength(2);
    expect(() => new Webhook(oldSecret).verify(got.body, got.headers)).not.toThrow();
    expect(() => new Webhook(rotated.secret).verify(got.body, got.headers)).not.toThrow();
    // The secrets are stored encrypted, never in plain text.
    const stored = await db.vaultSecret.findMany({ where: { organizationId: organization.id, provider: "WEBHOOK" } });
    expect(stored).toHaveLength(2);
    for (const row of stored) expect(row.ciphertext).not.toContain(rotated.secret.slice(6, 20));
  });
});
