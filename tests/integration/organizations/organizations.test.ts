import { expect, it } from "vitest";
import { POST as createOrg } from "@/app/api/orgs/route";
import { DELETE, GET, PATCH, POST } from "@/app/api/orgs/[slug]/members/route";
import { db } from "@/lib/db";
import { slugify } from "@/lib/organizations/create-organization";
import { removeMember } from "@/lib/organizations/members";
import {
  createOrgWithMember,
  createUserWithSession,
  dashboardRequest,
  paramsOf,
  testSnowflake,
} from "~tests/helpers/auth";

const members = (slug: string, method: string, cookie: string, body?: unknown, query = "") => {
  const handler = { GET, POST, PATCH, DELETE }[method]!;
  return handler(dashboardRequest(method, `/api/orgs/${slug}/members${query}`, { cookie, body }), paramsOf({ slug }));
};

it("creates an organization with the creator as OWNER, derives the slug, and refuses a taken or reserved one", async () => {
  const { user, cookie } = await createUserWithSession();
  const response = await createOrg(
    dashboardRequest("POST", "/api/orgs", { cookie, body: { name: "Night Owls!" } }),
    paramsOf({}),
  );
  expect(response.status).toBe(201);
  const { organization } = await response.json();
  expect(organization).toMatchObject({ slug: "night-owls", name: "Night Owls!", status: "ACTIVE" });
  expect(await db.membership.findMany({ select: { userId: true, role: true } })).toEqual([
    { userId: user.id, role: "OWNER" },
  ]);
  expect(await db.auditEvent.count({ where: { action: "organization.create", organizationId: organization.id } })).toBe(
    1,
  );

  const taken = await createOrg(
    dashboardRequest("POST", "/api/orgs", { cookie, body: { name: "Other", slug: "night-owls" } }),
    paramsOf({}),
  );
  expect(taken.status).toBe(409);
  const reserved = await createOrg(
    dashboardRequest("POST", "/api/orgs", { cookie, body: { name: "X", slug: "api" } }),
    paramsOf({}),
  );
  expect(reserved.status).toBe(400);
  const bad = await createOrg(
    dashboardRequest("POST", "/api/orgs", { cookie, body: { name: "X", slug: "Bad Slug" } }),
    paramsOf({}),
  );
  expect(bad.status).toBe(400);
  const anonymous = await createOrg(dashboardRequest("POST", "/api/orgs", { body: { name: "Nope" } }), paramsOf({}));
  expect(anonymous.status).toBe(401);
  expect(await db.organization.count()).toBe(1);
  expect(slugify("  Ça va -- Guild  ")).toBe("ca-va-guild");
});

it("an ADMIN adds and removes members by Discord id; a placeholder user is created for someone new", async () => {
  const { organization, cookie } = await createOrgWithMember("ADMIN");
  const discordUserId = testSnowflake();
  const added = await members(organization.slug, "POST", cookie, { discordUserId, role: "REVIEWER" });
  expect(added.status).toBe(201);
  expect((await added.json()).member).toMatchObject({ discordUserId, role: "REVIEWER" });
  expect((await members(organization.slug, "POST", cookie, { discordUserId, role: "ADMIN" })).status).toBe(409);
  expect((await members(organization.slug, "POST", cookie, { discordUserId: "12345", role: "ADMIN" })).status).toBe(
    400,
  );

  const list = await (await members(organization.slug, "GET", cookie)).json();
  expect(list.members.map((m: { role: string }) => m.role)).toEqual(["ADMIN", "REVIEWER"]);

  const removed = await members(organization.slug, "DELETE", cookie, undefined, `?discordUserId=${discordUserId}`);
  expect(removed.status).toBe(204);
  expect(await db.membership.count({ where: { organizationId: organization.id } })).toBe(1);
  const actions = (await db.auditEvent.findMany({ orderBy: { createdAt: "asc" } })).map((e) => e.action);
  expect(actions).toEqual(["member.add", "member.remove"]);
});

it("only an OWNER grants or removes OWNER, and the last OWNER cannot be removed or demoted", async () => {
  const { organization, user: owner, cookie: ownerCookie } = await createOrgWithMember("OWNER");
  const admin = await createUserWithSession();
  await db.membership.create({ data: { organizationId: organization.id, userId: admin.user.id, role: "ADMIN" } });

  const promote = await members(organization.slug, "POST", admin.cookie, {
    discordUserId: testSnowflake(),
    role: "OWNER",
  });
  expect(promote.status).toBe(403);
  const selfPromote = await members(organization.slug, "PATCH", admin.cookie, {
    discordUserId: admin.user.discordUserId,
    role: "OWNER",
  });
  expect(selfPromote.status).toBe(403);
  const removeOwner = await members(
    organization.slug,
    "DELETE",
    admin.cookie,
    undefined,
    `?discordUserId=${owner.discordUserId}`,
  );
  expect(removeOwner.status).toBe(403);
  const denied = await db.auditEvent.findMany({ where: { action: "access.denied", organizationId: organization.id } });
  expect(denied.map((e) => (e.metadata as { attempted: string }).attempted).sort()).toEqual([
    "member.add",
    "member.remove",
    "member.role_change",
  ]);
  expect(await db.membership.count({ where: { organizationId: organization.id } })).toBe(2);

  const last = await members(
    organization.slug,
    "DELETE",
    ownerCookie,
    undefined,
    `?discordUserId=${owner.discordUserId}`,
  );
  expect(last.status).toBe(409);
  expect((await last.json()).error.code).toBe("last_owner");
  const demote = await members(organization.slug, "PATCH", ownerCookie, {
    discordUserId: owner.discordUserId,
    role: "ADMIN",
  });
  expect(demote.status).toBe(409);

  const makeOwner = await members(organization.slug, "PATCH", ownerCookie, {
    discordUserId: admin.user.discordUserId,
    role: "OWNER",
  });
  expect(makeOwner.status).toBe(200);
  const leave = await members(
    organization.slug,
    "DELETE",
    ownerCookie,
    undefined,
    `?discordUserId=${owner.discordUserId}`,
  );
  expect(leave.status).toBe(204);
  expect(await db.membership.findMany({ select: { userId: true, role: true } })).toEqual([
    { userId: admin.user.id, role: "OWNER" },
  ]);
});

it("two owners removing each other at the same time leave one owner", async () => {
  const { organization, user: a } = await createOrgWithMember("OWNER");
  const b = await createUserWithSession();
  await db.membership.create({ data: { organizationId: organization.id, userId: b.user.id, role: "OWNER" } });
  const results = await Promise.allSettled([
    removeMember({
      organizationId: organization.id,
      actor: { userId: a.id, role: "OWNER" },
      discordUserId: b.user.discordUserId,
    }),
    removeMember({
      organizationId: organization.id,
      actor: { userId: b.user.id, role: "OWNER" },
      discordUserId: a.discordUserId,
    }),
  ]);
  expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
  expect(await db.membership.count({ where: { organizationId: organization.id, role: "OWNER" } })).toBe(1);
});
