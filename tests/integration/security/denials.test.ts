// Issue 11 item 4: outsiders' denials write nothing into an organization's audit log (they are counted and
// sampled into the security log), stored audit fields are bounded, and one denied request writes one row at most.
import { expect, it, vi } from "vitest";
import { recordAudit, AUDIT_LIMITS } from "@/lib/audit/record-audit";
import { db } from "@/lib/db";
import { hasLoneSurrogate } from "@/lib/http/input";
import { json } from "@/lib/http/route";
import { createToken, revokeToken } from "@/lib/security/api-tokens";
import { outsiderDenialCounts } from "@/lib/security/denials";
import { withAuth } from "@/lib/security/guard";
import { createOrgWithMember, createUserWithSession, dashboardRequest, paramsOf } from "~tests/helpers/auth";

const jar = vi.hoisted(() => ({ cookie: "" }));
vi.mock("next/headers", () => ({
  cookies: async () => ({
    get: (name: string) => {
      const pair = jar.cookie.split("; ").find((p) => p.startsWith(`${name}=`));
      return pair ? { name, value: pair.slice(name.length + 1) } : undefined;
    },
  }),
  headers: async () => new Headers(),
}));
const { requireOrgPage } = await import("@/lib/security/page-guard");

const handler = withAuth<{ slug: string }>({ auth: "session", permission: "org:read" }, async () => json({ ok: true }));
const call = (method: string, slug: string, cookie?: string, headers?: Record<string, string>) =>
  handler(dashboardRequest(method, `/api/orgs/${slug}/x`, { cookie, headers }), paramsOf({ slug }));
const tokenRoute = withAuth({ auth: "token", scope: "applications:read" }, async () => json({ ok: true }));

async function interruption(run: Promise<unknown>): Promise<string> {
  try {
    await run;
  } catch (error) {
    return String((error as { digest?: string }).digest ?? error);
  }
  return "returned";
}

it("signed-out, non-member, cross-site and dead-token requests write no audit row anywhere; they are counted by reason", async () => {
  vi.stubEnv("__NEXT_EXPERIMENTAL_AUTH_INTERRUPTS", "true");
  const { organization, cookie: ownerCookie } = await createOrgWithMember("OWNER");
  const outsider = await createUserWithSession();
  const before = outsiderDenialCounts();

  const longSlug = `${organization.slug}${"x".repeat(8_000)}`;
  expect((await call("GET", organization.slug)).status).toBe(401);
  expect((await call("GET", organization.slug, outsider.cookie)).status).toBe(404);
  expect((await call("GET", longSlug, outsider.cookie)).status).toBe(404);
  expect((await call("POST", organization.slug, ownerCookie, { origin: "https://evil.example" })).status).toBe(403);
  jar.cookie = outsider.cookie;
  // A page view: layout and page both guard; neither writes for an outsider.
  expect(await interruption(requireOrgPage(organization.slug, "org:read"))).toContain("404");
  expect(await interruption(requireOrgPage(organization.slug, "org:read"))).toContain("404");
  const token = await createToken({
    organizationId: organization.id,
    createdById: null,
    name: "t",
    scopes: ["applications:read"],
  });
  await revokeToken(token.id, organization.id);
  expect(
    (
      await tokenRoute(
        new Request("http://localhost:3000/api/v1/x", { headers: { authorization: `Bearer ${token.token}` } }),
        paramsOf({}),
      )
    ).status,
  ).toBe(401);

  expect(await db.auditEvent.count({ where: { action: "access.denied" } })).toBe(0);
  const after = outsiderDenialCounts();
  expect(after.unauthenticated - before.unauthenticated).toBe(1);
  expect(after.not_member - before.not_member).toBe(4);
  expect(after.cross_origin - before.cross_origin).toBe(1);
  expect(after.invalid_token - before.invalid_token).toBe(1);
});

it("a member's denial is one row in the organization's log", async () => {
  vi.stubEnv("__NEXT_EXPERIMENTAL_AUTH_INTERRUPTS", "true");
  const { organization, cookie } = await createOrgWithMember("REVIEWER");
  jar.cookie = cookie;
  expect(await interruption(requireOrgPage(organization.slug, "bot:manage"))).toContain("403");
  const rows = await db.auditEvent.findMany({ where: { action: "access.denied" } });
  expect(rows).toHaveLength(1);
  expect(rows[0]).toMatchObject({ organizationId: organization.id, metadata: { reason: "missing_permission" } });
});

it("bounds every stored field: long text is cut, big metadata is replaced, nested depth is capped", async () => {
  const { organization } = await createOrgWithMember("OWNER");
  const long = "p".repeat(8_000);
  const row = await recordAudit({
    organizationId: organization.id,
    action: long,
    targetType: long,
    targetId: long,
    outcome: "DENIED",
    metadata: { path: long, list: Array.from({ length: 500 }, (_, i) => i) },
    ip: long,
  });
  for (const field of [row.action, row.targetType!, row.targetId!, row.ip!])
    expect(field.length).toBeLessThanOrEqual(AUDIT_LIMITS.text);
  expect(Buffer.byteLength(JSON.stringify(row.metadata))).toBeLessThanOrEqual(AUDIT_LIMITS.metadataBytes);
  const small = await recordAudit({
    organizationId: organization.id,
    action: "x",
    outcome: "SUCCESS",
    metadata: { path: long },
  });
  expect((small.metadata as { path: string }).path.length).toBeLessThanOrEqual(AUDIT_LIMITS.metadataString);
  // A cut never leaves half of a surrogate pair behind.
  const emoji = await recordAudit({
    organizationId: organization.id,
    action: "x",
    outcome: "SUCCESS",
    targetId: "😀".repeat(300),
  });
  expect(hasLoneSurrogate(emoji.targetId!)).toBe(false);
});
