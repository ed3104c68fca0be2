import { expect, it } from "vitest";
import { GET as sessionRoute } from "@/app/api/auth/session/route";
import { db } from "@/lib/db";
import {
  createSession,
  deleteAllSessions,
  deleteSession,
  hashSessionToken,
  resolveSession,
  SESSION_TTL_MS,
} from "@/lib/security/session";
import {
  addMember,
  createTestOrganization,
  createUserWithSession,
  dashboardRequest,
  paramsOf,
} from "~tests/helpers/auth";

it("stores only the SHA-256 of the token and sets an httpOnly, SameSite=Lax, Secure cookie", async () => {
  const user = await db.user.create({ data: { discordUserId: "175928847299117063", name: "A" } });
  const created = await createSession({ userId: user.id });
  const [row] = await db.session.findMany();
  expect(row!.tokenHash).toBe(hashSessionToken(created.token));
  expect(JSON.stringify(row)).not.toContain(created.token);
  expect(created.cookie).toMatch(
    /^gg_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax; Max-Age=(2592000|2591999); Secure$/,
  );
  const resolved = await resolveSession({ token: created.token });
  expect(resolved?.user.id).toBe(user.id);
  expect(resolved?.renewedCookie).toBeUndefined();
});

it("rejects unknown, malformed and expired tokens", async () => {
  const { token } = await createUserWithSession();
  expect(await resolveSession({ token: undefined })).toBeNull();
  expect(await resolveSession({ token: "x".repeat(43) })).toBeNull();
  expect(await resolveSession({ token: "not a token" })).toBeNull();
  const later = new Date(Date.now() + SESSION_TTL_MS + 1000);
  expect(await resolveSession({ token, now: later })).toBeNull();
});

it("slides the expiry once less than half of it is left, and says so with a fresh cookie", async () => {
  const { token } = await createUserWithSession();
  const now = new Date(Date.now() + 20 * 24 * 3600 * 1000);
  const resolved = await resolveSession({ token, now });
  expect(resolved?.renewedCookie).toContain("Max-Age=");
  const [row] = await db.session.findMany();
  expect(row!.expiresAt.getTime()).toBe(now.getTime() + SESSION_TTL_MS);
});

it("logout deletes one session, sign out everywhere deletes all of the user's", async () => {
  const a = await createUserWithSession();
  const second = await createSession({ userId: a.user.id });
  const other = await createUserWithSession();
  expect(await deleteSession({ token: a.token })).toBe(true);
  expect(await resolveSession({ token: a.token })).toBeNull();
  expect(await resolveSession({ token: second.token })).not.toBeNull();
  expect(await deleteAllSessions({ userId: a.user.id })).toBe(1);
  expect(await resolveSession({ token: second.token })).toBeNull();
  expect(await resolveSession({ token: other.token })).not.toBeNull();
});

it("GET /api/auth/session answers the user and their organizations, or nulls when signed out", async () => {
  const anonymous = await sessionRoute(dashboardRequest("GET", "/api/auth/session"), paramsOf({}));
  expect(await anonymous.json()).toEqual({ user: null, organizations: [] });

  const { user, cookie } = await createUserWithSession({ name: "Ada" });
  const b = await createTestOrganization({ slug: "beta", name: "Beta" });
  const a = await createTestOrganization({ slug: "alpha", name: "Alpha" });
  await createTestOrganization({ slug: "other", name: "Other" });
  await addMember({ userId: user.id, organizationId: a.id, role: "OWNER" });
  await addMember({ userId: user.id, organizationId: b.id, role: "REVIEWER" });
  const response = await sessionRoute(dashboardRequest("GET", "/api/auth/session", { cookie }), paramsOf({}));
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({
    user: { id: user.id, name: "Ada", avatar: null, discordUserId: user.discordUserId },
    organizations: [
      {
        slug: "alpha",
        name: "Alpha",
        role: "OWNER",
        permissions: expect.arrayContaining(["bot:manage", "owners:manage"]),
      },
      { slug: "beta", name: "Beta", role: "REVIEWER", permissions: ["org:read", "applications:review"] },
    ],
  });
});

it("a new sign-in clears the user's expired sessions", async () => {
  const { user } = await createUserWithSession();
  await db.session.updateMany({ data: { expiresAt: new Date(Date.now() - 1000) } });
  await createSession({ userId: user.id });
  expect(await db.session.count()).toBe(1);
});

it("does not slide the expiry when asked not to (server components cannot send the cookie back)", async () => {
  const { token } = await createUserWithSession();
  const now = new Date(Date.now() + 20 * 24 * 3600 * 1000);
  const before = (await db.session.findFirstOrThrow()).expiresAt;
  expect((await resolveSession({ token, now, renew: false }))?.renewedCookie).toBeUndefined();
  expect((await db.session.findFirstOrThrow()).expiresAt).toEqual(before);
});
