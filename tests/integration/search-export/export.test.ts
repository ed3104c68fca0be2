import { parse } from "csv-parse/sync";
import v8 from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { GET as exportDashboard } from "@/app/api/orgs/[slug]/applications/export/route";
import { GET as exportApi } from "@/app/api/v1/applications/export/route";
import { exportApplicationsCsv } from "@/lib/applications/queries/export-applications";
import { db } from "@/lib/db";
import { addQuestion, apiTokenFor, newSnowflake } from "~tests/helpers/applications";
import { addMember, createOrgWithMember, createUserWithSession, dashboardRequest, paramsOf } from "~tests/helpers/auth";

async function question(organizationId: string, label: string) {
  return addQuestion({ organizationId, label, kind: "LONG_TEXT", position: 0 });
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}

describe("CSV export", () => {
  it("exports the filtered applications with one column per question, formulas neutralised", async () => {
    const { organization, cookie } = await createOrgWithMember("REVIEWER");
    const q = await question(organization.id, "Why join?");
    const answers = (value: string) => [{ questionId: q.id, label: q.label, kind: "LONG_TEXT", value }];
    await db.application.create({
      data: {
        organizationId: organization.id,
        applicantName: '=HYPERLINK("http://evil")',
        applicantDiscordId: newSnowflake(),
        answers: answers('+1 and -2, "quoted"\nnew line'),
        createdAt: new Date("2026-01-01T00:00:01Z"),
      },
    });
    await db.application.create({
      data: {
        organizationId: organization.id,
        applicantName: "@SUM(A1)",
        applicantDiscordId: null,
        answers: answers("\tTab"),
        status: "REJECTED",
        createdAt: new Date("2026-01-01T00:00:02Z"),
      },
    });

    const response = await exportDashboard(
      dashboardRequest("GET", `/api/orgs/${organization.slug}/applications/export?status=PENDING`, { cookie }),
      paramsOf({ slug: organization.slug }),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="applications-.*\.csv"$/);
    const rows = parse(await response.text()) as string[][];
    expect(rows[0]).toEqual([
      "id",
      "submitted_at",
      "status",
      "applicant_name",
      "applicant_discord_id",
      "source",
      "role_status",
      "role_error",
      "reviewed_at",
      "Why join?",
    ]);
    expect(rows).toHaveLength(2);
    expect(rows[1]![3]).toBe('\'=HYPERLINK("http://evil")');
    expect(rows[1]![9]).toBe('\'+1 and -2, "quoted"\nnew line');

    const all = parse(await readAll(await exportApplicationsCsv({ organizationId: organization.id }))) as string[][];
    expect(all.slice(1).map((r) => [r[3], r[9]])).toEqual([
      ["'@SUM(A1)", "'\tTab"],
      ['\'=HYPERLINK("http://evil")', '\'+1 and -2, "quoted"\nnew line'],
    ]);
    const searched = parse(
      await readAll(await exportApplicationsCsv({ organizationId: organization.id, q: "hyperlink" })),
    ) as string[][];
    expect(searched).toHaveLength(2);
  });

  it("the API export needs applications:read, and a non-member gets 404", async () => {
    const { organization } = await createOrgWithMember("OWNER");
    await db.application.create({
      data: { organizationId: organization.id, applicantName: "Ada", applicantDiscordId: newSnowflake() },
    });
    const reader = await apiTokenFor(organization.id, ["applications:read"]);
    const writer = await apiTokenFor(organization.id, ["applications:write"]);
    const ok = await exportApi(
      new Request("http://localhost:3000/api/v1/applications/export", {
        headers: { authorization: reader.authorization },
      }),
      paramsOf({}),
    );
    expect(ok.status).toBe(200);
    expect(parse(await ok.text())).toHaveLength(2);
    expect(
      (
        await exportApi(
          new Request("http://localhost:3000/api/v1/applications/export", {
            headers: { authorization: writer.authorization },
          }),
          paramsOf({}),
        )
      ).status,
    ).toBe(403);
    const stranger = await createUserWithSession();
    const denied = await exportDashboard(
      dashboardRequest("GET", `/api/orgs/${organization.slug}/applications/export`, { cookie: stranger.cookie }),
      paramsOf({ slug: organization.slug }),
    );
    expect(denied.status).toBe(404);
    void addMember;
  });

  it("streams 10,000 rows in batches with flat memory", async () => {
    const { organization } = await createOrgWithMember("OWNER");
    const q = await question(organization.id, "Essay");
    // 10,000 applications with a 2 KB answer each: about 20 MB of CSV.
    await db.$executeRaw`
      INSERT INTO "Application" ("organizationId", "applicantName", "applicantDiscordId", "answers", "createdAt", "updatedAt")
      SELECT ${organization.id}::uuid, 'Applicant ' || i, (100000000000000000 + i)::text,
             jsonb_build_array(jsonb_build_object('questionId', ${q.id}::text, 'label', 'Essay', 'kind', 'LONG_TEXT', 'value', repeat(md5(i::text), 64))),
             now() - (i || ' seconds')::interval, now()
      FROM generate_series(1, 10000) AS i`;

    // Retained memory, not garbage waiting for collection: a full GC before each sample.
    v8.setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as () => void;
    const retained = () => {
      gc();
      return process.memoryUsage().heapUsed;
    };
    const stream = await exportApplicationsCsv({ organizationId: organization.id });
    const reader = stream.getReader();
    const baseline = retained();
    let peak = 0;
    let bytes = 0;
    let chunks = 0;
    let lines = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks += 1;
      bytes += value.byteLength;
      for (const b of value) if (b === 10) lines += 1;
      peak = Math.max(peak, retained() - baseline);
    }
    expect(lines).toBe(10_001);
    expect(bytes).toBeGreaterThan(20_000_000);
    // Batches of 500 rows: the header, then 20 chunks.
    expect(chunks).toBe(21);
    // Holding the whole export would retain more than its 20 MB; a batch is about 1 MB.
    expect(peak).toBeLessThan(5_000_000);
  }, 180_000);
});
