import { describe, expect, it } from "vitest";
import { GET, POST } from "@/app/api/orgs/[slug]/tokens/route";
import { DELETE } from "@/app/api/orgs/[slug]/tokens/[id]/route";
import { db } from "@/lib/db";
import { validateToken } from "@/lib/security/api-tokens";
import { createOrgWithMember } from "~tests/helpers/auth";

const ORIGIN = "http://localhost:3000";

function create(slug: string, cookie: string, body: unknown) {
  const request = new Request(`${ORIGIN}/api/orgs/${slug}/tokens`, {
    method: "POST",
    headers: { cookie, origin: ORIGIN, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return POST(request, { params: Promise.resolve({ slug }) });
}
const list = (slug: string, cookie: string) =>
  GET(new Request(`${ORIGIN}/api/orgs/${slug}/tokens`, { headers: { cookie } }), { params: Promise.resolve({ slug }) });
const revoke = (slug: string, cookie: string, id: string) =>
  DELETE(
    new Request(`${ORIGIN}/api/orgs/${slug}/tokens/${id}`, { method: "DELETE", headers: { cookie, origin: ORIGIN } }),
    {
      params: Promise.resolve({ slug, id }),
    },
  );

describe("/api/orgs/[slug]/tokens", () => {
  it("creates a token shown once, lists it without the secret, audits, and revokes it at once", async () => {
    const { organization, cookie, user } = await createOrgWithMember("ADMIN");
    const created = await create(organization.slug, cookie, {
      name: "CI",
      scopes: ["roles:assign"],
      expiresInDays: 30,
    });
    expect(created.status).toBe(201);
    const { token } = (await created.json()) as { token: { id: string; token: string; prefix: string } };
    expect(token.token).toMatch(/^ggt_/);
    expect((await validateToken(token.token)).organizationId).toBe(organization.id);

    const listed = await list(organization.slug, cookie);
    const text = await listed.text();
    expect(text).toContain(token.prefix);
    expect(text).not.toContain(token.token);
    expect(text).not.toContain("tokenHash");

    const revoked = await revoke(organization.slug, cookie, token.id);
    expect(revoked.status).toBe(200);
    await expect(validateToken(token.token)).rejects.toThrow();

    const audit = await db.auditEvent.findMany({
      where: { organizationId: organization.id, targetId: token.id },
      orderBy: { createdAt: "asc" },
    });
    expect(audit.map((a) => [a.action, a.actorUserId])).toEqual([
      ["api_token.create", user.id],
      ["api_token.revoke", user.id],
    ]);
    expect(JSON.stringify(audit)).not.toContain(token.token);
  });

  it("rejects bad input with 400 and writes nothing", async () => {
    const { organization, cookie } = await createOrgWithMember("OWNER");
    for (const body of [
      { name: "", scopes: ["roles:assign"] },
      { name: "x", scopes: [] },
      { name: "x", scopes: ["admin"] },
      { name: "x", scopes: ["roles:assign"], expiresInDays: 0 },
    ]) {
      expect((await create(organization.slug, cookie, body)).status, JSON.stringify(body)).toBe(400);
    }
    expect(await db.apiToken.count()).toBe(0);
  });

  it("cannot revoke another organization's token, and a reviewer cannot manage tokens", async () => {
    const a = await createOrgWithMember("OWNER");
    const b = await createOrgWithMember("OWNER");
    const { token } = (await (
      await create(b.organization.slug, b.cookie, { name: "B", scopes: ["applications:read"] })
    ).json()) as { token: { id: string; token: string } };
    expect((await revoke(a.organization.slug, a.cookie, token.id)).status).toBe(404);
    expect((await revoke(a.organization.slug, a.cookie, "not-a-uuid")).status).toBe(404);
    expect((await validateToken(token.token)).tokenId).toBe(token.id);

    const reviewer = await createOrgWithMember("REVIEWER");
    expect((await list(reviewer.organization.slug, reviewer.cookie)).status).toBe(403);
    expect(
      (await create(reviewer.organization.slug, reviewer.cookie, { name: "x", scopes: ["roles:assign"] })).status,
    ).toBe(403);
  });
});
