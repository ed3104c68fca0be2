// withAuth checks the origin before it touches the session: a cross-site POST must not renew (write) the session.
import { expect, it } from "vitest";
import { db } from "@/lib/db";
import { json } from "@/lib/http/route";
import { outsiderDenialCounts } from "@/lib/security/denials";
import { withAuth } from "@/lib/security/guard";
import { createSession, SESSION_COOKIE } from "@/lib/security/session";
import { createOrgWithMember, dashboardRequest, paramsOf } from "~tests/helpers/auth";

const handler = withAuth<{ slug: string }>({ auth: "session", permission: "bot:manage" }, async () =>
  json({ ok: true }),
);

it("a cross-origin POST is refused before the session is loaded: no renewal, no cookie", async () => {
  const { organization, user } = await createOrgWithMember("OWNER");
  const session = await createSession({ userId: user.id });
  const crossOriginBefore = outsiderDenialCounts().cross_origin;
  const dueForRenewal = new Date(Date.now() + 24 * 3600 * 1000);
  await db.session.update({ where: { id: session.sessionId }, data: { expiresAt: dueForRenewal } });

  const response = await handler(
    dashboardRequest("POST", `/api/orgs/${organization.slug}/x`, {
      cookie: `${SESSION_COOKIE}=${session.token}`,
      headers: { origin: "https://evil.example" },
    }),
    paramsOf({ slug: organization.slug }),
  );
  expect(response.status).toBe(403);
  expect((await response.json()).error.code).toBe("cross_origin");
  expect(response.headers.get("set-cookie")).toBeNull();
  expect((await db.session.findUniqueOrThrow({ where: { id: session.sessionId } })).expiresAt).toEqual(dueForRenewal);
  // A cross-site request is an outsider's: counted, never written into the organization's log.
  expect(await db.auditEvent.count({ where: { action: "access.denied" } })).toBe(0);
  expect(outsiderDenialCounts().cross_origin).toBe(crossOriginBefore + 1);
});
