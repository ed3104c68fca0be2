import { spawn, type ChildProcess } from "node:child_process";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { updateApplicationStatus } from "@/lib/applications/decisions/review";
import { db } from "@/lib/db";
import { resetEnvCache } from "@/lib/env";
import { ensureJobSchema } from "@/lib/jobs/migrate";
import { startJobRunner } from "@/lib/jobs/runner";
import { runDelivery } from "@/lib/webhooks/deliver";
import { isPrivateAddress } from "@/lib/webhooks/destination";
import { createEndpoint } from "@/lib/webhooks/endpoints";
import { defaultWebhookSettings, type WebhookSettings } from "@/lib/webhooks/settings";
import { sweepWebhookDeliveries } from "@/lib/webhooks/sweeper";
import { createWebhookTasks } from "@/lib/webhooks/tasks";
import { createApplication, createOrgWithGuild, createReviewer, waitFor } from "~tests/helpers/applications";
import { letLocalReceiversThrough, startReceiver, TEST_HOST, type Receiver } from "~tests/helpers/webhook-receiver";

const quick: WebhookSettings = {
  retryDelaysMs: [100, 200, 400, 800],
  jitter: 0,
  timeoutMs: 5_000,
  disableAfterFailures: 3,
  disableAfterMs: 0,
  allowPrivateDestinations: true,
  staleLockMs: 1_000,
  rotationOverlapMs: 60_000,
  maxInFlightPerEndpoint: 2,
};

let receivers: Receiver[] = [];
let children: ChildProcess[] = [];
beforeAll(async () => {
  await ensureJobSchema();
});
beforeEach(() => letLocalReceiversThrough());
afterEach(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  children = [];
  await Promise.all(receivers.map((r) => r.close()));
  receivers = [];
});

async function receiver(options: Parameters<typeof startReceiver>[0] = {}) {
  const r = await startReceiver(options);
  receivers.push(r);
  return r;
}

async function approvedDelivery(url: string) {
  const { organization } = await createOrgWithGuild();
  const { endpoint, secret } = await createEndpoint({
    organizationId: organization.id,
    input: { url, description: "", eventTypes: ["application.approved"] },
    actor: {},
  });
  const app = await createApplication({ organizationId: organization.id });
  await updateApplicationStatus({
    applicationId: app.id,
    organizationId: organization.id,
    status: "APPROVED",
    reviewerId: (await createReviewer()).id,
  });
  const delivery = await db.webhookDelivery.findFirstOrThrow({ where: { endpointId: endpoint.id } });
  return { organization, endpoint, secret, delivery, app };
}

function startWorkerProcess(settings: WebhookSettings): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "tests/helpers/webhook-worker-process.ts"], {
    env: { ...process.env, WEBHOOK_TEST_SETTINGS: JSON.stringify(settings) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (c: Buffer) => {
      out += c.toString();
      if (out.includes("ready")) resolve(child);
    });
    child.on("exit", (code) => reject(new Error(`worker exited early (${code})`)));
  });
}

describe("at-least-once with a stable id", () => {
  it("a worker killed mid-delivery and restarted: the receiver, deduping by webhook-id, processes the approval exactly once", async () => {
    // The first request is left hanging: the worker is killed while it waits for the answer.
    const r = await receiver({ respond: (_req, index) => (index === 0 ? "hang" : 200) });
    const { delivery, secret } = await approvedDelivery(r.url);
    r.setSecret(secret);

    const first = await startWorkerProcess(quick);
    await waitFor(
      async () => r.received.length,
      (n) => n >= 1,
      90_000,
    );
    first.kill("SIGKILL");
    await new Promise((resolve) => first.once("exit", resolve));
    expect(await db.webhookDelivery.findUniqueOrThrow({ where: { id: delivery.id } })).toMatchObject({
      status: "PENDING",
      attempts: 0,
    });

    // The dead worker's lock outlives it; the sweeper leaves it alone (it no longer unlocks by lock age), and the
    // next runner's worker registry frees it once the dead runner has been silent for 20 s (production timings).
    await new Promise((resolve) => setTimeout(resolve, quick.staleLockMs + 200));
    expect(await sweepWebhookDeliveries({ settings: quick })).toEqual({ reenqueued: 0 });
    await startWorkerProcess(quick);

    const done = await waitFor(
      () => db.webhookDelivery.findUniqueOrThrow({ where: { id: delivery.id } }),
      (d) => d.status === "SUCCEEDED",
      90_000,
    );
    expect(done).toMatchObject({ attempts: 1, lastStatusCode: 200 });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(r.received).toHaveLength(2);
    expect(r.received.every((x) => x.verified)).toBe(true);
    expect(r.uniqueIds()).toEqual([delivery.eventId]);
    expect(await db.webhookEvent.count({ where: { type: "application.approved" } })).toBe(1);
    expect(await db.webhookDelivery.count()).toBe(1);
  }, 240_000);
});

describe("failing endpoints", () => {
  it("backs off between attempts and is disabled after the threshold, with an audit row", async () => {
    const r = await receiver({ respond: () => 500 });
    const { endpoint, delivery, organization } = await approvedDelivery(r.url);
    const runner = await startJobRunner({
      taskList: createWebhookTasks({ settings: quick }),
      concurrency: 2,
      pollInterval: 50,
    });
    try {
      await waitFor(
        () => db.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } }),
        (e) => !e.enabled,
        30_000,
      );
      await waitFor(
        () => db.webhookDelivery.findUniqueOrThrow({ where: { id: delivery.id } }),
        (d) => d.status === "FAILED",
        30_000,
      );
    } finally {
      await runner.stop();
    }
    const attempts = await db.webhookDeliveryAttempt.findMany({
      where: { deliveryId: delivery.id },
      orderBy: { attempt: "asc" },
    });
    expect(attempts.map((a) => [a.attempt, a.succeeded, a.statusCode])).toEqual([
      [1, false, 500],
      [2, false, 500],
      [3, false, 500],
    ]);
    const gaps = attempts.slice(1).map((a, i) => a.createdAt.getTime() - attempts[i]!.createdAt.getTime());
    expect(gaps[0]).toBeGreaterThanOrEqual(quick.retryDelaysMs[0]!);
    expect(gaps[1]).toBeGreaterThanOrEqual(quick.retryDelaysMs[1]!);
    expect(r.received).toHaveLength(3);

    const disabled = await db.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } });
    expect(disabled).toMatchObject({ enabled: false, consecutiveFailures: 3 });
    expect(disabled.disabledReason).toMatch(/3 failed deliveries/);
    const audit = await db.auditEvent.findMany({
      where: { organizationId: organization.id, action: "webhook.endpoint_disabled" },
    });
    expect(audit).toEqual([expect.objectContaining({ targetId: endpoint.id, outcome: "FAILED" })]);
    expect(await db.webhookDelivery.findUniqueOrThrow({ where: { id: delivery.id } })).toMatchObject({
      status: "FAILED",
      lastError: "The endpoint is disabled.",
    });
  });

  it("gives a delivery up after the last scheduled attempt; the log keeps each attempt's status and latency", async () => {
    const r = await receiver({ respond: () => 503 });
    const { delivery } = await approvedDelivery(r.url);
    const settings = { ...quick, retryDelaysMs: [10, 10], disableAfterFailures: 100 };
    expect(await runDelivery({ deliveryId: delivery.id, settings })).toBe("retrying");
    const after1 = await db.webhookDelivery.findUniqueOrThrow({ where: { id: delivery.id } });
    expect(after1.nextAttemptAt!.getTime() - after1.lastAttemptAt!.getTime()).toBe(10);
    expect(await runDelivery({ deliveryId: delivery.id, settings })).toBe("retrying");
    expect(await runDelivery({ deliveryId: delivery.id, settings })).toBe("failed");
    expect(await runDelivery({ deliveryId: delivery.id, settings })).toBe("skipped");
    expect(await db.webhookDelivery.findUniqueOrThrow({ where: { id: delivery.id } })).toMatchObject({
      status: "FAILED",
      attempts: 3,
      lastStatusCode: 503,
      nextAttemptAt: null,
    });
    expect(r.received).toHaveLength(3);
  });

  it("the production schedule spans about a day", () => {
    const total = defaultWebhookSettings().retryDelaysMs.reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(20 * 3_600_000);
    expect(total).toBeLessThan(30 * 3_600_000);
  });
});

describe("destinations", () => {
  it("refuses private, loopback and link-local destinations in production mode, after DNS resolution", async () => {
    const environment = process.env as Record<string, string | undefined>;
    const previous = environment.NODE_ENV;
    environment.NODE_ENV = "production";
    resetEnvCache();
    let production: WebhookSettings;
    try {
      production = { ...quick, allowPrivateDestinations: defaultWebhookSettings().allowPrivateDestinations };
    } finally {
      environment.NODE_ENV = previous;
      resetEnvCache();
    }
    expect(production.allowPrivateDestinations).toBe(false);
    const r = await receiver();

    // A literal loopback address.
    const literal = await approvedDelivery(r.url);
    expect(await runDelivery({ deliveryId: literal.delivery.id, settings: production })).toBe("retrying");
    // The log says why without any address (issue 23: it told a tenant what internal names resolve to).
    const literalError = (await db.webhookDelivery.findUniqueOrThrow({ where: { id: literal.delivery.id } })).lastError;
    expect(literalError).toMatch(/^Refused: private address\./);
    expect(literalError).not.toMatch(/127\.0\.0\.1|\d+\.\d+\.\d+\.\d+/);

    // A name that resolves to a private address among public ones (checked after resolution: all must be public).
    const named = await approvedDelivery(`http://${TEST_HOST}:${r.port}/hooks`);
    const lookup = async () => [
      { address: "93.184.216.34", family: 4 },
      { address: "10.1.2.3", family: 4 },
    ];
    expect(await runDelivery({ deliveryId: named.delivery.id, settings: production, lookup })).toBe("retrying");
    const namedError = (await db.webhookDelivery.findUniqueOrThrow({ where: { id: named.delivery.id } })).lastError;
    expect(namedError).toMatch(/^Refused: private address\./);
    expect(namedError).not.toMatch(/10\.1\.2\.3|93\.184|resolves to/);
    expect(r.received).toHaveLength(0);

    for (const address of [
      "127.0.0.1",
      "10.0.0.1",
      "172.16.5.4",
      "192.168.1.1",
      "169.254.169.254",
      "100.64.0.1",
      "0.0.0.0",
      "::1",
      "fe80::1",
      "fd00::1",
      "::ffff:127.0.0.1",
      "::ffff:169.254.169.254",
      // IPv4-compatible (::/96) and IPv4-translated (::ffff:0:0:0/96) forms, and site-local (issue 23).
      "::7f00:1",
      "::127.0.0.1",
      "::a9fe:a9fe",
      "::ffff:0:7f00:1",
      "::ffff:0:127.0.0.1",
      "::ffff:0:a9fe:a9fe",
      "fec0::1",
    ]) {
      expect([address, isPrivateAddress(address)]).toEqual([address, true]);
    }
    for (const address of ["93.184.216.34", "1.1.1.1", "2606:4700:4700::1111"])
      expect([address, isPrivateAddress(address)]).toEqual([address, false]);
  });

  it("connects to the address that was checked (pinned), not to a second DNS answer", async () => {
    const r = await receiver();
    const { delivery } = await approvedDelivery(`http://${TEST_HOST}:${r.port}/hooks`);
    let lookups = 0;
    // receiver.invalid never resolves through system DNS: the request can only arrive through the pinned address.
    const lookup = async () => {
      lookups += 1;
      return [{ address: "127.0.0.1", family: 4 }];
    };
    expect(await runDelivery({ deliveryId: delivery.id, settings: quick, lookup })).toBe("succeeded");
    expect(lookups).toBe(1);
    expect(r.received).toHaveLength(1);
    expect(r.received[0]!.headers.host).toBe(`${TEST_HOST}:${r.port}`);
  });
});
