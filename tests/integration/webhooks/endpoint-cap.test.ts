// At most N deliveries in flight per endpoint, across runners (issue 24 item 3): the cap lives in PostgreSQL
// (WebhookEndpointSlot), a delivery that finds it full is not an attempt and does not hold a runner slot, and each
// release wakes the endpoint's next waiting delivery at once rather than at the lease's end.
import type { Runner } from "graphile-worker";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { startJobRunner } from "@/lib/jobs/runner";
import { acquireEndpointSlot, releaseEndpointSlot } from "@/lib/webhooks/endpoint-slots";
import { createEndpoint } from "@/lib/webhooks/endpoints";
import { recordWebhookEvent } from "@/lib/webhooks/outbox";
import type { WebhookSettings } from "@/lib/webhooks/settings";
import { createWebhookTasks } from "@/lib/webhooks/tasks";
import { createOrgWithGuild, waitFor } from "~tests/helpers/applications";
import { letLocalReceiversThrough, startReceiver, type Receiver } from "~tests/helpers/webhook-receiver";

const settings: WebhookSettings = {
  retryDelaysMs: [50, 100],
  jitter: 0,
  // A lease is this plus 5 s: a waiting delivery woken only by the lease's end would wait 25 s.
  timeoutMs: 20_000,
  disableAfterFailures: 100,
  disableAfterMs: 0,
  allowPrivateDestinations: true,
  staleLockMs: 60_000,
  rotationOverlapMs: 60_000,
  maxInFlightPerEndpoint: 2,
};

let receivers: Receiver[] = [];
let runners: Runner[] = [];
beforeEach(() => letLocalReceiversThrough());
afterEach(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  await Promise.all(runners.map((r) => r.stop()));
  receivers = [];
  runners = [];
});

async function endpointFor(organizationId: string, url: string) {
  const { endpoint } = await createEndpoint({
    organizationId,
    input: { url, description: "cap", eventTypes: ["application.approved"] },
    actor: {},
  });
  return endpoint;
}

async function deliveries(organizationId: string, endpointId: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const { deliveryIds } = await db.$transaction((tx) =>
      recordWebhookEvent({ tx, organizationId, type: "webhook.test", data: { n: i }, endpointId }),
    );
    ids.push(...deliveryIds);
  }
  return ids;
}

describe("per-endpoint cap", () => {
  it("two runners with 10 slots post at most 2 deliveries at once to one endpoint; another endpoint is not held up", async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const requestedAt: number[] = [];
    const slow = await startReceiver({
      respond: async () => {
        inFlight += 1;
        requestedAt.push(Date.now());
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 300));
        inFlight -= 1;
        return 200;
      },
    });
    const fast = await startReceiver();
    receivers.push(slow, fast);
    const { organization } = await createOrgWithGuild();
    const busy = await endpointFor(organization.id, slow.url);
    const other = await endpointFor(organization.id, fast.url);
    const busyIds = await deliveries(organization.id, busy.id, 8);
    const [otherId] = await deliveries(organization.id, other.id, 1);

    for (let i = 0; i < 2; i++)
      runners.push(
        await startJobRunner({ taskList: createWebhookTasks({ settings }), concurrency: 5, pollInterval: 50 }),
      );
    const all = [...busyIds, otherId!];
    const done = await waitFor(
      () => db.webhookDelivery.findMany({ where: { id: { in: all } } }),
      (rows) => rows.every((d) => d.status === "SUCCEEDED"),
      30_000,
    );

    expect(maxInFlight).toBe(2);
    expect(slow.received).toHaveLength(8);
    // A wait for a slot is no attempt.
    expect(done.every((d) => d.attempts === 1)).toBe(true);
    // The other endpoint's delivery went out while the busy one's backlog was still draining.
    const otherAt = done.find((d) => d.id === otherId)!.lastAttemptAt!.getTime();
    const lastBusyAt = Math.max(...done.filter((d) => d.endpointId === busy.id).map((d) => d.lastAttemptAt!.getTime()));
    expect(otherAt).toBeLessThan(lastBusyAt);
    // Each release hands its slot on at once: all 4 rounds well inside the first holders' 25 s lease.
    expect(Math.max(...requestedAt) - Math.min(...requestedAt)).toBeLessThan(20_000);
    expect(await db.webhookEndpointSlot.count()).toBe(0);
  }, 60_000);

  it("a slot whose lease ended (a process died mid-request) is taken over; a live one of another delivery is not", async () => {
    const { organization } = await createOrgWithGuild();
    const endpoint = await endpointFor(organization.id, "http://127.0.0.1:9/hooks");
    const [a, b, c] = await deliveries(organization.id, endpoint.id, 3);
    const one = { endpointId: endpoint.id, limit: 1, timeoutMs: 1_000 };

    expect(await acquireEndpointSlot({ ...one, deliveryId: a! })).toEqual({ slot: 0 });
    const refused = await acquireEndpointSlot({ ...one, deliveryId: b! });
    expect(refused.slot).toBeNull();
    // It comes back when the holder's lease ends at the latest (timeout + 5 s margin).
    if (refused.slot === null) expect(refused.retryAt.getTime()).toBeGreaterThan(Date.now() + 4_000);
    // The holder itself, run again after a crash, keeps its slot.
    expect(await acquireEndpointSlot({ ...one, deliveryId: a! })).toEqual({ slot: 0 });

    await db.webhookEndpointSlot.updateMany({ data: { leaseUntil: new Date(Date.now() - 1_000) } });
    expect(await acquireEndpointSlot({ ...one, deliveryId: c! })).toEqual({ slot: 0 });
    // The dead holder's release frees nothing that is no longer its own.
    await releaseEndpointSlot({ endpointId: endpoint.id, deliveryId: a! });
    expect(await db.webhookEndpointSlot.findMany({ select: { deliveryId: true } })).toEqual([{ deliveryId: c }]);
  });
});
