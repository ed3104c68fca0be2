// A database outage is a 503 service_unavailable with Retry-After on every kind of route (session, organization
// member, API token), never a 500; the same routes answer again once PostgreSQL is back.
import { afterAll, beforeAll, expect, it } from "vitest";
import { GET as sessionRoute } from "@/app/api/auth/session/route";
import { GET as orgApplications } from "@/app/api/orgs/[slug]/applications/route";
import { GET as apiApplications } from "@/app/api/v1/applications/route";
import { disconnectDb } from "@/lib/db";
import { resetEnvCache } from "@/lib/env";
import { createToken } from "@/lib/security/api-tokens";
import { createOrgWithMember, dashboardRequest, paramsOf } from "~tests/helpers/auth";
import { startOutageCluster, type OutageCluster } from "~tests/helpers/outage-cluster";

let cluster: OutageCluster;
const previousUrl = process.env.DATABASE_URL;

beforeAll(async () => {
  cluster = await startOutageCluster({ name: "outage_routes", migrate: true });
  process.env.DATABASE_URL = cluster.url;
  resetEnvCache();
  await disconnectDb();
}, 120_000);

afterAll(async () => {
  process.env.DATABASE_URL = previousUrl;
  resetEnvCache();
  await disconnectDb();
  await cluster?.destroy();
}, 60_000);

async function callAll(cookie: string, slug: string, apiToken: string): Promise<Response[]> {
  return [
    await sessionRoute(dashboardRequest("GET", "/api/auth/session", { cookie }), paramsOf({})),
    await orgApplications(dashboardRequest("GET", `/api/orgs/${slug}/applications`, { cookie }), paramsOf({ slug })),
    await apiApplications(
      new Request("http://localhost:3000/api/v1/applications", { headers: { authorization: `Bearer ${apiToken}` } }),
      paramsOf({}),
    ),
  ];
}

async function expectOutage(responses: Response[]): Promise<void> {
  for (const response of responses) {
    const text = await response.text();
    expect(response.status, text).toBe(503);
    expect(response.headers.get("retry-after")).toBe("5");
    expect(JSON.parse(text).error).toMatchObject({
      code: "service_unavailable",
      message: expect.stringMatching(/temporarily unavailable/),
    });
    // Nothing about where the database lives.
    expect(text).not.toContain(String(cluster.port));
    expect(text).not.toContain("127.0.0.1");
  }
}

it("answers 503 service_unavailable with Retry-After while PostgreSQL is down, and 200 again once it is back", async () => {
  const { organization, cookie } = await createOrgWithMember("OWNER");
  const { token } = await createToken({
    organizationId: organization.id,
    createdById: null,
    name: "reader",
    scopes: ["applications:read"],
  });

  const up = await callAll(cookie, organization.slug, token);
  expect(up.map((r) => r.status)).toEqual([200, 200, 200]);

  // Connections open in the pool are terminated by the shutdown (57P01 / closed connection)...
  await cluster.stop();
  await expectOutage(await callAll(cookie, organization.slug, token));
  // ...and new ones are refused (ECONNREFUSED: P1001 for model queries, P2010 with the adapter's kind for raw SQL).
  await disconnectDb();
  await expectOutage(await callAll(cookie, organization.slug, token));

  await cluster.start();
  const back = await callAll(cookie, organization.slug, token);
  expect(back.map((r) => r.status)).toEqual([200, 200, 200]);
}, 120_000);
