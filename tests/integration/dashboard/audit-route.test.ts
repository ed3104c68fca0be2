import { describe, expect, it } from "vitest";
import { GET } from "@/app/api/orgs/[slug]/audit/route";
import { recordAudit } from "@/lib/audit/record-audit";
import { listAuditForTarget } from "@/lib/audit/list-audit";
import { db } from "@/lib/db";
import { createOrgWithMember } from "~tests/helpers/auth";

function call(slug: string, cookie: string, query = "") {
  const request = new Request(`http://localhost:3000/api/orgs/${slug}/audit${query}`, { headers: { cookie } });
  return GET(request, { params: Promise.resolve({ slug }) });
}

async function seedEvents(organizationId: string, userId: string) {
  const base = Date.parse("2026-01-01T00:00:00Z");
  for (let i = 0; i < 7; i++) {
    const event = await recordAudit({
      organizationId,
      actor: { userId },
      action: i % 2 === 0 ? "application.approved" : "application.rejected",
      targetType: "application",
      targetId: `app-${i}`,
      outcome: i === 6 ? "FAILED" : "SUCCESS",
      metadata: { i },
    });
    await db.auditEvent.update({ where: { id: event.id }, data: { createdAt: new Date(base + i * 60_000) } });
  }
}

describe("GET /api/orgs/[slug]/audit", () => {
  it("pages newest first with a cursor, without repeats or gaps", async () => {
    const { organization, user, cookie } = await createOrgWithMember("ADMIN");
    await seedEvents(organization.id, user.id);
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const response = await call(organization.slug, cookie, `?limit=3${cursor ? `&cursor=${cursor}` : ""}`);
      expect(response.status).toBe(200);
      const page = (await response.json()) as {
        items: { metadata: { i: number }; actor: { name: string } }[];
        nextCursor: string | null;
      };
      seen.push(...page.items.map((e) => e.metadata.i));
      expect(page.items.every((e) => e.actor.name === "Test Admin")).toBe(true);
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([6, 5, 4, 3, 2, 1, 0]);
  });

  it("filters by action, outcome, actor and time", async () => {
    const { organization, user, cookie } = await createOrgWithMember("OWNER");
    await seedEvents(organization.id, user.id);
    const ids = async (query: string) => {
      const body = (await (await call(organization.slug, cookie, query)).json()) as {
        items: { metadata: { i: number } }[];
      };
      return body.items.map((e) => e.metadata.i);
    };
    expect(await ids("?action=application.rejected")).toEqual([5, 3, 1]);
    expect(await ids("?outcome=FAILED")).toEqual([6]);
    expect(await ids(`?actor=user:${user.id}&from=2026-01-01T00:02:00Z&to=2026-01-01T00:04:00Z`)).toEqual([3, 2]);
    expect(await ids(`?actor=user:${crypto.randomUUID()}`)).toEqual([]);
  });

  it("never shows another organization's events", async () => {
    const a = await createOrgWithMember("OWNER");
    const b = await createOrgWithMember("OWNER");
    await seedEvents(b.organization.id, b.user.id);
    const body = (await (await call(a.organization.slug, a.cookie)).json()) as { items: unknown[] };
    expect(body.items).toEqual([]);
    expect((await call(b.organization.slug, a.cookie)).status).toBe(404);
    expect(
      await listAuditForTarget({ organizationId: a.organization.id, targetType: "application", targetId: "app-1" }),
    ).toEqual([]);
  });

  it("answers 400 to bad filters and a forged cursor, and 403 to a reviewer", async () => {
    const { organization, cookie } = await createOrgWithMember("ADMIN");
    for (const query of [
      "?outcome=MAYBE",
      "?actor=someone",
      "?from=yesterday",
      "?limit=1000",
      "?cursor=bm90LWEtY3Vyc29y",
    ]) {
      const response = await call(organization.slug, cookie, query);
      expect(response.status, query).toBe(400);
    }
    const reviewer = await createOrgWithMember("REVIEWER");
    expect((await call(reviewer.organization.slug, reviewer.cookie)).status).toBe(403);
  });
});
