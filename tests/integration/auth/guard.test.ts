import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { json } from "@/lib/http/route";
import { createToken, revokeToken } from "@/lib/security/api-tokens";
import { withAuth, type OrgContext } from "@/lib/security/guard";
import { createSession, SESSION_COOKIE } from "@/lib/security/session";
import { allowConsoleError } from "~tests/setup/console";
import {
  createOrgWithMember,
  createTestOrganization,
  createUserWithSession,
  dashboardRequest,
  paramsOf,
} from "~tests/helpers/auth";

let seen: OrgContext | undefined;
const handler = withAuth<{ slug: string }>({ auth: "session", permission: "bot:manage" }, async (_request, ctx) => {
  seen = ctx;
  return json({ ok: true, org: ctx.organization.id });
});
const call = (method: string, slug: string, cookie?: string, headers?: Record<string, string>) =>
  handler(dashboardRequest(method, `/api/orgs/${slug}/x`, { cookie, headers }), paramsOf({ slug }));

const denials = () => db.auditEvent.findMany({ where: { action: "access.denied" }, orderBy: { createdAt: "asc" } });

it("passes an owner through with the organization from the URL and the actor's role", async () => {
  const { organization, user, cookie } = await createOrgWithMember("OWNER");
  seen = undefined;
  const response = await call("POST", organization.slug, cookie, { "x-forwarded-for": "198.51.100.7" });
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ ok: true, org: organization.id });
  expect(seen).toMatchObject({
    organization: { id: organization.id, slug: organization.slug, status: "ACTIVE" },
    actor: { kind: "user", userId: user.id, role: "OWNER" },
    ip: "198.51.100.7",
  });
  expect(response.headers.get("x-request-id")).toBe(seen!.requestId);
  expect(await denials()).toHaveLength(0);
});

it("answers 401 without a session, 404 to non-members and for unknown slugs, 403 without the permission; audits the member's denial only", async () => {
  const { organization, cookie: reviewer, user: reviewerUser } = await createOrgWithMember("REVIEWER");
  const outsider = await createUserWithSession();

  const anonymous = await call("GET", organization.slug);
  expect(anonymous.status).toBe(401);
  expect((await anonymous.json()).error.code).toBe("unauthorized");

  const notMember = await call("GET", organization.slug, outsider.cookie);
  expect(notMember.status).toBe(404);
  const missing = await call("GET", "no-such-org", outsider.cookie);
  expect(missing.status).toBe(404);
  // Same body for "exists but not yours" and "does not exist": nothing reveals the organization.
  const [a, b] = [await notMember.json(), await missing.json()];
  expect({ ...a.error, requestId: "" }).toEqual({ ...b.error, requestId: "" });

  const forbidden = await call("GET", organization.slug, reviewer);
  expect(forbidden.status).toBe(403);
  expect((await forbidden.json()).error.code).toBe("forbidden");

  const events = await denials();
  // Outsiders' denials are counted, not written (tests/integration/security/denials.test.ts).
  expect(events.map((e) => [e.organizationId, e.actorUserId, (e.metadata as { reason: string }).reason])).toEqual([
    [organization.id, reviewerUser.id, "missing_permission"],
  ]);
  expect(events.every((e) => e.outcome === "DENIED")).toBe(true);
});

it("refuses a cross-origin state change even with a valid owner session, and allows a cross-origin GET", async () => {
  const { organization, cookie } = await createOrgWithMember("OWNER");
  const post = await call("POST", organization.slug, cookie, { origin: "https://evil.example" });
  expect(post.status).toBe(403);
  expect((await post.json()).error.code).toBe("cross_origin");
  const get = await call("GET", organization.slug, cookie, { origin: "https://evil.example" });
  expect(get.status).toBe(200);
});

it("sends a renewed session cookie back when the session slid forward", async () => {
  const { organization, user } = await createOrgWithMember("OWNER");
  const session = await createSession({ userId: user.id });
  await db.session.updateMany({
    where: { userId: user.id },
    data: { expiresAt: new Date(Date.now() + 24 * 3600 * 1000) },
  });
  const response = await call("GET", organization.slug, `${SESSION_COOKIE}=${session.token}`);
  expect(response.status).toBe(200);
  expect(response.headers.get("set-cookie")).toContain(`${SESSION_COOKIE}=${session.token}`);
});

it("turns a handler crash into a 500 without internal text", async () => {
  allowConsoleError();
  const { organization, cookie } = await createOrgWithMember("ADMIN");
  const crashing = withAuth<{ slug: string }>({ auth: "session", permission: "org:read" }, async () => {
    throw new Error("db password is hunter2");
  });
  const response = await crashing(dashboardRequest("GET", "/x", { cookie }), paramsOf({ slug: organization.slug }));
  expect(response.status).toBe(500);
  expect(await response.text()).not.toContain("hunter2");
});

it("a session route without a permission needs a session and passes the user", async () => {
  const h = withAuth({ auth: "session" }, async (_request, ctx) => json({ id: ctx.user.id }));
  expect((await h(dashboardRequest("POST", "/x"), paramsOf({}))).status).toBe(401);
  const { user, cookie } = await createUserWithSession();
  const ok = await h(dashboardRequest("POST", "/x", { cookie }), paramsOf({}));
  expect(await ok.json()).toEqual({ id: user.id });
});

describe("token routes", () => {
  const apiHandler = withAuth({ auth: "token", scope: "applications:read" }, async (_request, ctx) =>
    json({ org: ctx.organization.id, actor: ctx.actor }),
  );
  const callApi = (authorization?: string) =>
    apiHandler(
      new Request("http://localhost/api/v1/x", { headers: authorization ? { authorization } : {} }),
      paramsOf({}),
    );

  it("takes the organization from a valid token with the scope; 401 without or with a bad token; 403 without the scope", async () => {
    const org = await createTestOrganization();
    const good = await createToken({
      organizationId: org.id,
      createdById: null,
      name: "reader",
      scopes: ["applications:read"],
    });
    const writer = await createToken({
      organizationId: org.id,
      createdById: null,
      name: "writer",
      scopes: ["applications:write"],
    });

    const ok = await callApi(`Bearer ${good.token}`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({
      org: org.id,
      actor: { kind: "apiToken", tokenId: good.id, scopes: ["applications:read"] },
    });

    expect((await callApi()).status).toBe(401);
    expect((await callApi("Basic abc")).status).toBe(401);
    expect((await callApi("Bearer ggt_nonsense")).status).toBe(401);
    const noScope = await callApi(`Bearer ${writer.token}`);
    expect(noScope.status).toBe(403);
    expect((await noScope.json()).error.code).toBe("forbidden");

    await revokeToken(good.id, org.id);
    const revoked = await callApi(`Bearer ${good.token}`);
    expect(revoked.status).toBe(401);
    expect((await revoked.json()).error.message).toContain("revoked");

    const reasons = (await denials()).map((e) => [e.organizationId, (e.metadata as { reason: string }).reason]);
    // The org's own token lacking a scope is its business; a dead token is an outsider's (counted, not written).
    expect(reasons).toEqual([[org.id, "missing_scope"]]);
  });
});

describe('auth "either"', () => {
  type Params = { slug?: string };
  const either = withAuth<Params>(
    { auth: "either", permission: "applications:review", scope: "applications:read" },
    async (_request, ctx) => json({ org: ctx.organization.id, kind: ctx.actor.kind }),
  );
  // The org URL (with [slug]) and the v1 URL (without) of one handler.
  const atOrg = (slug: string, headers: Record<string, string>) =>
    either(dashboardRequest("GET", `/api/orgs/${slug}/x`, { headers }), paramsOf<Params>({ slug }));
  const atV1 = (headers: Record<string, string>) =>
    either(new Request("http://localhost/api/v1/x", { headers }), paramsOf<Params>({}));

  it("takes a member's session by the URL's slug and a token by its organization, each with its own check", async () => {
    const { organization, cookie: reviewer } = await createOrgWithMember("REVIEWER");
    const reader = await createToken({
      organizationId: organization.id,
      createdById: null,
      name: "reader",
      scopes: ["applications:read"],
    });
    const writer = await createToken({
      organizationId: organization.id,
      createdById: null,
      name: "writer",
      scopes: ["applications:write"],
    });
    const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

    expect(await (await atOrg(organization.slug, { cookie: reviewer })).json()).toEqual({
      org: organization.id,
      kind: "user",
    });
    expect(await (await atOrg(organization.slug, bearer(reader.token))).json()).toEqual({
      org: organization.id,
      kind: "apiToken",
    });
    expect(await (await atV1(bearer(reader.token))).json()).toEqual({ org: organization.id, kind: "apiToken" });

    const noScope = await atV1(bearer(writer.token));
    expect(noScope.status).toBe(403);
    expect((await noScope.json()).error.code).toBe("forbidden");
    // Without [slug] in the URL there is no organization for a session: a token is required.
    const cookieOnly = await atV1({ cookie: reviewer });
    expect(cookieOnly.status).toBe(401);
    expect((await cookieOnly.json()).error.details).toEqual({ scheme: "Bearer" });
    expect((await atOrg(organization.slug, {})).status).toBe(401);
  });

  it("answers 404 to a token on another organization's URL, as to a non-member, and writes nothing there", async () => {
    const { organization: mine } = await createOrgWithMember("OWNER");
    const { organization: theirs } = await createOrgWithMember("OWNER");
    const reader = await createToken({
      organizationId: mine.id,
      createdById: null,
      name: "reader",
      scopes: ["applications:read"],
    });
    const response = await atOrg(theirs.slug, { authorization: `Bearer ${reader.token}` });
    expect(response.status).toBe(404);
    expect((await response.json()).error.code).toBe("not_found");
    expect(await denials()).toHaveLength(0);
  });
});

it("a suspended organization: its tokens act for nobody (409), its members still read the dashboard", async () => {
  const { organization, cookie } = await createOrgWithMember("ADMIN");
  const token = await createToken({
    organizationId: organization.id,
    createdById: null,
    name: "reader",
    scopes: ["applications:read"],
  });
  await db.organization.update({ where: { id: organization.id }, data: { status: "SUSPENDED" } });
  const tokenRoute = withAuth({ auth: "token", scope: "applications:read" }, async () => json({ ok: true }));
  const refused = await tokenRoute(
    new Request("http://localhost/api/v1/x", { headers: { authorization: `Bearer ${token.token}` } }),
    paramsOf({}),
  );
  expect(refused.status).toBe(409);
  expect((await refused.json()).error.code).toBe("organization_suspended");

  seen = undefined;
  const read = await call("GET", organization.slug, cookie);
  expect(read.status).toBe(200);
  expect(seen!.organization.status).toBe("SUSPENDED");
});
