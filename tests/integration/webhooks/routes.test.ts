import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import * as webhooks from "@/app/api/orgs/[slug]/webhooks/route";
import * as webhook from "@/app/api/orgs/[slug]/webhooks/[endpointId]/route";
import * as rotate from "@/app/api/orgs/[slug]/webhooks/[endpointId]/rotate-secret/route";
import * as testEvent from "@/app/api/orgs/[slug]/webhooks/[endpointId]/test/route";
import * as deliveries from "@/app/api/orgs/[slug]/webhooks/[endpointId]/deliveries/route";
import * as redeliver from "@/app/api/orgs/[slug]/webhooks/[endpointId]/deliveries/[deliveryId]/redeliver/route";
import { db } from "@/lib/db";
import { ensureJobSchema } from "@/lib/jobs/migrate";
import { runDelivery } from "@/lib/webhooks/deliver";
import type { WebhookSettings } from "@/lib/webhooks/settings";
import { createOrgWithMember, dashboardRequest, paramsOf } from "~tests/helpers/auth";
import { letLocalReceiversThrough, startReceiver, type Receiver } from "~tests/helpers/webhook-receiver";

const settings: WebhookSettings = {
  retryDelaysMs: [10],
  jitter: 0,
  timeoutMs: 2_000,
  disableAfterFailures: 100,
  disableAfterMs: 0,
  allowPrivateDestinations: true,
  staleLockMs: 1_000,
  rotationOverlapMs: 60_000,
  maxInFlightPerEndpoint: 2,
};

let receiver: Receiver;
beforeAll(async () => {
  await ensureJobSchema();
});
beforeEach(async () => {
  letLocalReceiversThrough();
  receiver = await startReceiver();
});
afterEach(async () => {
  await receiver.close();
});

type Json = Record<string, unknown>;
const body = async (r: Response) => (await r.json()) as Json;

describe("webhook endpoint routes", () => {
  it("create shows the secret once; list, test event, delivery log and redelivery; the log holds no secret", async () => {
    const { organization, cookie } = await createOrgWithMember("ADMIN");
    const slug = organization.slug;
    const created = await webhooks.POST(
      dashboardRequest("POST", `/api/orgs/${slug}/webhooks`, {
        cookie,
        body: { url: receiver.url, description: "CRM", eventTypes: ["application.approved", "role.failed"] },
      }),
      paramsOf({ slug }),
    );
    expect(created.status).toBe(201);
    const { endpoint, secret } = (await body(created)) as { endpoint: { id: string }; secret: string };
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/=]{44}$/);
    receiver.setSecret(secret);

    const listed = await body(
      await webhooks.GET(dashboardRequest("GET", `/api/orgs/${slug}/webhooks`, { cookie }), paramsOf({ slug })),
    );
    expect(JSON.stringify(listed)).not.toContain(secret.slice(6));
    expect(listed.endpoints).toEqual([
      expect.objectContaining({
        id: endpoint.id,
        url: receiver.url,
        enabled: true,
        eventTypes: ["application.approved", "role.failed"],
      }),
    ]);

    const params = paramsOf({ slug, endpointId: endpoint.id });
    const sent = await testEvent.POST(
      dashboardRequest("POST", `/api/orgs/${slug}/webhooks/${endpoint.id}/test`, { cookie }),
      params,
    );
    expect(sent.status).toBe(202);
    const { deliveryId, eventId } = (await body(sent)) as { deliveryId: string; eventId: string };
    expect(await runDelivery({ deliveryId, settings })).toBe("succeeded");
    expect(receiver.received.map((r) => [r.id, r.verified, JSON.parse(r.body).type])).toEqual([
      [eventId, true, "webhook.test"],
    ]);

    const log = await body(
      await deliveries.GET(
        dashboardRequest("GET", `/api/orgs/${slug}/webhooks/${endpoint.id}/deliveries`, { cookie }),
        params,
      ),
    );
    expect(log.items).toEqual([
      expect.objectContaining({
        id: deliveryId,
        eventType: "webhook.test",
        status: "SUCCEEDED",
        attempts: 1,
        lastStatusCode: 200,
        nextAttemptAt: null,
      }),
    ]);
    expect(JSON.stringify(log)).not.toMatch(/whsec_|v1,/);

    const again = await redeliver.POST(
      dashboardRequest("POST", `/api/orgs/${slug}/webhooks/${endpoint.id}/deliveries/${deliveryId}/redeliver`, {
        cookie,
      }),
      paramsOf({ slug, endpointId: endpoint.id, deliveryId }),
    );
    expect(again.status).toBe(202);
    expect(await runDelivery({ deliveryId, settings })).toBe("succeeded");
    expect(receiver.received.map((r) => r.id)).toEqual([eventId, eventId]);
    expect(await db.webhookDeliveryAttempt.count({ where: { deliveryId } })).toBe(2);

    const rotated = await body(
      await rotate.POST(
        dashboardRequest("POST", `/api/orgs/${slug}/webhooks/${endpoint.id}/rotate-secret`, { cookie }),
        params,
      ),
    );
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.previousSecretExpiresAt).toEqual(expect.any(String));
    const actions = (
      await db.auditEvent.findMany({ where: { organizationId: organization.id }, orderBy: { createdAt: "asc" } })
    ).map((a) => a.action);
    expect(actions).toEqual([
      "webhook.endpoint_created",
      "webhook.test_sent",
      "webhook.redelivered",
      "webhook.secret_rotated",
    ]);
  });

  it("refuses bad input in words, by field, and writes nothing", async () => {
    const { organization, cookie } = await createOrgWithMember("OWNER");
    const slug = organization.slug;
    const post = (b: unknown) =>
      webhooks.POST(dashboardRequest("POST", `/api/orgs/${slug}/webhooks`, { cookie, body: b }), paramsOf({ slug }));
    const cases: [unknown, string][] = [
      [{ url: "ftp://x.example/", eventTypes: ["application.approved"] }, "url"],
      [{ url: "https://user:pw@x.example/", eventTypes: ["application.approved"] }, "url"],
      [{ url: "not a url", eventTypes: ["application.approved"] }, "url"],
      [{ url: "https://x.example/", eventTypes: [] }, "eventTypes"],
      [{ url: "https://x.example/", eventTypes: ["application.exploded"] }, "eventTypes"],
      [{ eventTypes: ["application.approved"] }, "url"],
    ];
    for (const [input, field] of cases) {
      const response = await post(input);
      expect(response.status, JSON.stringify(input)).toBe(400);
      const error = (await body(response)).error as { code: string; message: string; details: { path: string }[] };
      expect(error.code).toBe("validation_failed");
      expect(error.details.map((d) => d.path.split(".")[0])).toContain(field);
    }
    expect(await db.webhookEndpoint.count()).toBe(0);
    expect(await db.vaultSecret.count()).toBe(0);
  });

  it("re-enabling a disabled endpoint forgets its failures; deleting removes its secrets", async () => {
    const { organization, cookie } = await createOrgWithMember("OWNER");
    const slug = organization.slug;
    const created = await body(
      await webhooks.POST(
        dashboardRequest("POST", `/api/orgs/${slug}/webhooks`, {
          cookie,
          body: { url: receiver.url, eventTypes: ["application.approved"] },
        }),
        paramsOf({ slug }),
      ),
    );
    const id = (created.endpoint as { id: string }).id;
    await db.webhookEndpoint.update({
      where: { id },
      data: {
        enabled: false,
        consecutiveFailures: 30,
        failingSince: new Date(),
        disabledAt: new Date(),
        disabledReason: "Disabled after 30 failed deliveries",
      },
    });
    const patched = await body(
      await webhook.PATCH(
        dashboardRequest("PATCH", `/api/orgs/${slug}/webhooks/${id}`, { cookie, body: { enabled: true } }),
        paramsOf({ slug, endpointId: id }),
      ),
    );
    expect(patched.endpoint).toMatchObject({
      enabled: true,
      consecutiveFailures: 0,
      disabledAt: null,
      disabledReason: null,
    });
    expect(
      (
        await webhook.DELETE(
          dashboardRequest("DELETE", `/api/orgs/${slug}/webhooks/${id}`, { cookie }),
          paramsOf({ slug, endpointId: id }),
        )
      ).status,
    ).toBe(200);
    expect(await db.vaultSecret.count()).toBe(0);
    expect(
      (
        await webhook.GET(
          dashboardRequest("GET", `/api/orgs/${slug}/webhooks/not-a-uuid`, { cookie }),
          paramsOf({ slug, endpointId: "not-a-uuid" }),
        )
      ).status,
    ).toBe(404);
  });
});
