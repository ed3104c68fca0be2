import { describe, expect, it } from "vitest";
import { GET as listApi } from "@/app/api/v1/applications/route";
import { listApplications } from "@/lib/applications/queries/list-applications";
import { db } from "@/lib/db";
import { apiTokenFor, createOrgWithGuild, newSnowflake } from "~tests/helpers/applications";
import { paramsOf } from "~tests/helpers/auth";

async function seed(
  organizationId: string,
  rows: { name: string; discordId?: string | null; answer?: string; status?: "PENDING" | "REJECTED"; at: number }[],
) {
  const created = [];
  for (const r of rows) {
    created.push(
      await db.application.create({
        data: {
          organizationId,
          applicantName: r.name,
          applicantDiscordId: r.discordId === undefined ? newSnowflake() : r.discordId,
          status: r.status ?? "PENDING",
          answers: r.answer
            ? [
                {
                  questionId: "00000000-0000-4000-8000-000000000001",
                  label: "Why?",
                  kind: "LONG_TEXT",
                  value: r.answer,
                },
              ]
            : [],
          createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, r.at)),
        },
      }),
    );
  }
  return created;
}

describe("search", () => {
  it("finds by answer text, applicant name and Discord id, case-insensitively, in this organization only", async () => {
    const { organization } = await createOrgWithGuild();
    const other = await createOrgWithGuild();
    const discordId = newSnowflake();
    const [ada, bob, cat] = await seed(organization.id, [
      { name: "Ada Lovelace", answer: "I build analytical engines", at: 1 },
      { name: "Bob", answer: "I like Rust and trains", at: 2 },
      { name: "Cat", discordId, answer: "nothing to see", at: 3, status: "REJECTED" },
    ]);
    await seed(other.organization.id, [{ name: "Ada Lovelace", answer: "Analytical engines too", at: 4 }]);

    const ids = async (q: string, status?: "PENDING" | "REJECTED") =>
      (await listApplications({ organizationId: organization.id, q, status, limit: 25 })).items.map((a) => a.id);
    expect(await ids("ANALYTICAL eng")).toEqual([ada!.id]);
    expect(await ids("lovelace")).toEqual([ada!.id]);
    expect(await ids(discordId)).toEqual([cat!.id]);
    expect(await ids("i ")).toEqual([bob!.id, ada!.id]);
    // Combined with the status filter.
    expect(await ids("o", "PENDING")).toEqual([bob!.id, ada!.id]);
    expect(await ids("o", "REJECTED")).toEqual([cat!.id]);
    // LIKE wildcards typed by the user are literal.
    expect(await ids("%")).toEqual([]);
    expect(await ids("_")).toEqual([]);
  });

  it("pages with keyset cursors through the matches only", async () => {
    const { organization } = await createOrgWithGuild();
    const rows = await seed(
      organization.id,
      Array.from({ length: 7 }, (_, i) => ({ name: i % 2 ? `match ${i}` : `other ${i}`, at: i })),
    );
    const matches = rows
      .filter((r) => r.applicantName.startsWith("match"))
      .reverse()
      .map((r) => r.id);
    const first = await listApplications({ organizationId: organization.id, q: "match", limit: 2 });
    expect(first.items.map((a) => a.id)).toEqual(matches.slice(0, 2));
    const second = await listApplications({
      organizationId: organization.id,
      q: "match",
      limit: 2,
      cursor: first.nextCursor,
    });
    expect(second.items.map((a) => a.id)).toEqual(matches.slice(2));
    expect(second.nextCursor).toBeNull();
  });

  it("the API takes ?q= next to ?status=", async () => {
    const { organization } = await createOrgWithGuild();
    const [, target] = await seed(organization.id, [
      { name: "Zed", at: 1 },
      { name: "Yuki", answer: "moderation experience", at: 2 },
    ]);
    const reader = await apiTokenFor(organization.id, ["applications:read"]);
    const response = await listApi(
      new Request("http://localhost:3000/api/v1/applications?q=Moderation&status=PENDING", {
        headers: { authorization: reader.authorization },
      }),
      paramsOf({}),
    );
    expect(response.status).toBe(200);
    expect(((await response.json()) as { items: { id: string }[] }).items.map((a) => a.id)).toEqual([target!.id]);
  });

  it("uses the trigram index for a search", async () => {
    const { organization } = await createOrgWithGuild();
    await seed(organization.id, [{ name: "Someone", answer: "text", at: 1 }]);
    await db.$executeRawUnsafe("SET enable_seqscan = off");
    try {
      const plan = await db.$queryRawUnsafe<{ "QUERY PLAN": string }[]>(
        `EXPLAIN SELECT id FROM "Application" WHERE "searchText" LIKE '%someone%'`,
      );
      expect(plan.map((p) => p["QUERY PLAN"]).join("\n")).toContain("applications_search_trgm_idx");
    } finally {
      await db.$executeRawUnsafe("SET enable_seqscan = on");
    }
  });
});
