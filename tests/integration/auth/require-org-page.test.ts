// requireOrgPage runs in server components: next/headers is replaced by a stand-in holding this test's cookie.
import { beforeEach, expect, it, vi } from "vitest";
import { db } from "@/lib/db";
import { createOrgWithMember, createUserWithSession } from "~tests/helpers/auth";

const jar = vi.hoisted(() => ({ cookie: "" }));
vi.mock("next/headers", () => ({
  cookies: async () => ({
    get: (name: string) => {
      const pair = jar.cookie.split("; ").find((p) => p.startsWith(`${name}=`));
      return pair ? { name, value: pair.slice(name.length + 1) } : undefined;
    },
  }),
  headers: async () => new Headers({ "x-forwarded-for": "192.0.2.1" }),
}));

const { requireOrgPage } = await import("@/lib/security/page-guard");

/** Next's navigation helpers throw errors whose digest says what they do. */
async function interruption(run: Promise<unknown>): Promise<string> {
  try {
    await run;
  } catch (error) {
    return String((error as { digest?: string }).digest ?? error);
  }
  return "returned";
}

beforeEach(() => {
  jar.cookie = "";
  // What next.config.ts's experimental.authInterrupts sets in the real server.
  vi.stubEnv("__NEXT_EXPERIMENTAL_AUTH_INTERRUPTS", "true");
});

it("returns the context for a member with the permission", async () => {
  const { organization, user, cookie } = await createOrgWithMember("REVIEWER");
  jar.cookie = cookie;
  const ctx = await requireOrgPage(organization.slug, "applications:review");
  expect(ctx).toMatchObject({
    organization: { id: organization.id },
    actor: { kind: "user", userId: user.id, role: "REVIEWER" },
    ip: "192.0.2.1",
  });
});

it("redirects to sign-in without a session, 404s a non-member, 403s a missing permission, and audits the denials", async () => {
  const { organization, cookie } = await createOrgWithMember("REVIEWER");
  expect(
    await interruption(requireOrgPage(organization.slug, "org:read", { next: "/dashboard/x/settings" })),
  ).toContain("/signin?next=%2Fdashboard%2Fx%2Fsettings");
  const outsider = await createUserWithSession();
  jar.cookie = outsider.cookie;
  expect(await interruption(requireOrgPage(organization.slug, "org:read"))).toContain("404");
  jar.cookie = cookie;
  expect(await interruption(requireOrgPage(organization.slug, "bot:manage"))).toContain("403");
  const reasons = (await db.auditEvent.findMany({ orderBy: { createdAt: "asc" } })).map(
    (e) => (e.metadata as { reason: string }).reason,
  );
  expect(reasons).toEqual(["missing_permission"]);
});
