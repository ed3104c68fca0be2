// Input PostgreSQL would reject (NUL in text, dates outside its range, ids that fail the uuid cast) is refused at
// the boundary with a stable 4xx and writes nothing, through the real routes.
import { describe, expect, it } from "vitest";
import { GET as exportReview } from "@/app/api/orgs/[slug]/applications/export/route";
import { GET as listReview } from "@/app/api/orgs/[slug]/applications/route";
import { GET as listAuditRoute } from "@/app/api/orgs/[slug]/audit/route";
import { POST as createQuestion } from "@/app/api/orgs/[slug]/questions/route";
import { POST as createTokenRoute } from "@/app/api/orgs/[slug]/tokens/route";
import { POST as createOrg } from "@/app/api/orgs/route";
import { POST as submitApply } from "@/app/api/apply/[slug]/route";
import { GET as login } from "@/app/api/apply/[slug]/login/route";
import { GET as applyCallback } from "@/app/api/apply/callback/route";
import { GET as exportApi } from "@/app/api/v1/applications/export/route";
import { GET as listApi, POST as submitApi } from "@/app/api/v1/applications/route";
import { applyRedirectUri } from "@/lib/applications/intake/applicant-auth";
import { db } from "@/lib/db";
import { encodeKeysetCursor } from "@/lib/http/cursor";
import { useDiscordFake } from "~tests/fakes/discord";
import { addQuestion, apiTokenFor, newSnowflake } from "~tests/helpers/applications";
import { createOrgWithMember, dashboardRequest, paramsOf, TEST_ORIGIN } from "~tests/helpers/auth";

const discord = useDiscordFake();
const NUL = "a\u0000b";

async function errorOf(response: Response): Promise<{ status: number; code: string }> {
  const body = (await response.json()) as { error?: { code: string } };
  return { status: response.status, code: body.error?.code ?? "none" };
}

const rawCursor = (text: string) => Buffer.from(text).toString("base64url");
const BAD_CURSORS = [
  rawCursor("2026-01-01T00:00:00.000Z|------------------------------------"),
  rawCursor("2026-01-01T00:00:00.000Z|zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz"),
  rawCursor("-100000-01-01T00:00:00.000Z|00000000-0000-4000-8000-000000000000"),
  rawCursor("+200000-01-01T00:00:00.000Z|00000000-0000-4000-8000-000000000000"),
  rawCursor("2026-01-01T00:00:00.000Z|00000000-0000-4000-8000-000000000000|extra"),
];

describe("NUL characters in JSON bodies", () => {
  it("POST /api/orgs with a NUL in the name: 400 invalid_json, no organization", async () => {
    const { cookie } = await createOrgWithMember("OWNER");
    const before = await db.organization.count();
    const response = await createOrg(
      dashboardRequest("POST", "/api/orgs", { cookie, body: { name: NUL } }),
      paramsOf({}),
    );
    expect(await errorOf(response)).toEqual({ status: 400, code: "invalid_json" });
    expect(await db.organization.count()).toBe(before);
  });

  it("question labels and token names with a NUL: 400 invalid_json, nothing written", async () => {
    const { organization, cookie } = await createOrgWithMember("OWNER");
    const slug = organization.slug;
    const question = await createQuestion(
      dashboardRequest("POST", `/api/orgs/${slug}/questions`, { cookie, body: { kind: "SHORT_TEXT", label: NUL } }),
      paramsOf({ slug }),
    );
    expect(await errorOf(question)).toEqual({ status: 400, code: "invalid_json" });
    const token = await createTokenRoute(
      dashboardRequest("POST", `/api/orgs/${slug}/tokens`, {
        cookie,
        body: { name: NUL, scopes: ["applications:read"] },
      }),
      paramsOf({ slug }),
    );
    expect(await errorOf(token)).toEqual({ status: 400, code: "invalid_json" });
    expect(await db.applicationQuestion.count()).toBe(0);
    expect(await db.apiToken.count()).toBe(0);
  });

  it("POST /api/v1/applications with a NUL in an answer or an answer key: 400 invalid_json, no application", async () => {
    const { organization } = await createOrgWithMember("OWNER");
    const writer = await apiTokenFor(organization.id, ["applications:write"]);
    for (const answers of [{ q: NUL }, { [NUL]: "x" }, { q: ["ok", NUL] }]) {
      const request = new Request(`${TEST_ORIGIN}/api/v1/applications`, {
        method: "POST",
        headers: { authorization: writer.authorization, "content-type": "application/json" },
        body: JSON.stringify({ discordUserId: newSnowflake(), applicantName: "Ada", answers }),
      });
      expect(await errorOf(await submitApi(request, paramsOf({})))).toEqual({ status: 400, code: "invalid_json" });
    }
    expect(await db.application.count()).toBe(0);
  });

  it("POST /api/apply/[slug] (public) with a NUL in an answer: 400 invalid_json, no application", async () => {
    const { organization } = await createOrgWithMember("OWNER");
    const slug = organization.slug;
    const question = await addQuestion({
      organizationId: organization.id,
      label: "Why?",
      kind: "SHORT_TEXT",
      position: 0,
    });
    const start = await login(new Request(`${TEST_ORIGIN}/api/apply/${slug}/login`), paramsOf({ slug }));
    const state = new URL(start.headers.get("location")!).searchParams.get("state")!;
    const flowCookie = start.headers
      .getSetCookie()
      .find((c) => c.startsWith("gg_apply_flow="))!
      .split(";")[0]!;
    const code = discord.issueAuthorizationCode({
      clientId: discord.world.platform.id,
      userId: discord.world.applicant.id,
      scopes: ["identify"],
      redirectUri: applyRedirectUri(),
    });
    const back = await applyCallback(
      new Request(`${TEST_ORIGIN}/api/apply/callback?code=${code}&state=${state}`, { headers: { cookie: flowCookie } }),
      paramsOf({}),
    );
    const applicant = back.headers
      .getSetCookie()
      .find((c) => c.startsWith("gg_applicant="))!
      .split(";")[0]!;

    const response = await submitApply(
      new Request(`${TEST_ORIGIN}/api/apply/${slug}`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: TEST_ORIGIN, cookie: applicant },
        body: JSON.stringify({ answers: { [question.id]: NUL } }),
      }),
      paramsOf({ slug }),
    );
    expect(await errorOf(response)).toEqual({ status: 400, code: "invalid_json" });
    expect(await db.application.count()).toBe(0);
  });

  it("an escaped backslash before u0000 is ordinary text, not a NUL", async () => {
    const { cookie } = await createOrgWithMember("OWNER");
    const response = await createOrg(
      new Request(`${TEST_ORIGIN}/api/orgs`, {
        method: "POST",
        headers: { cookie, origin: TEST_ORIGIN, "content-type": "application/json" },
        body: '{"name":"path \\\\u0000 ok"}',
      }),
      paramsOf({}),
    );
    expect(response.status).toBe(201);
    expect(await db.organization.count({ where: { name: "path \\u0000 ok" } })).toBe(1);
  });
});

describe("query strings", () => {
  it("audit: NUL in action, dates outside PostgreSQL's range and forged cursors are 400s", async () => {
    const { organization, cookie } = await createOrgWithMember("ADMIN");
    const slug = organization.slug;
    const get = (query: string) =>
      listAuditRoute(dashboardRequest("GET", `/api/orgs/${slug}/audit${query}`, { cookie }), paramsOf({ slug }));
    expect(await errorOf(await get("?action=a%00b"))).toEqual({ status: 400, code: "validation_failed" });
    expect(await errorOf(await get("?from=-100000-01-01T00:00:00Z"))).toEqual({
      status: 400,
      code: "validation_failed",
    });
    expect(await errorOf(await get("?to=%2B200000-01-01T00:00:00Z"))).toEqual({
      status: 400,
      code: "validation_failed",
    });
    for (const cursor of BAD_CURSORS)
      expect(await errorOf(await get(`?cursor=${cursor}`)), cursor).toEqual({ status: 400, code: "bad_request" });
    expect((await get("?from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z")).status).toBe(200);
  });

  it("applications (dashboard and API): forged cursors are 400 bad_request, a real one pages", async () => {
    const { organization, cookie } = await createOrgWithMember("REVIEWER");
    const slug = organization.slug;
    const reader = await apiTokenFor(organization.id, ["applications:read"]);
    const review = (query: string) =>
      listReview(dashboardRequest("GET", `/api/orgs/${slug}/applications${query}`, { cookie }), paramsOf({ slug }));
    const api = (query: string) =>
      listApi(
        new Request(`${TEST_ORIGIN}/api/v1/applications${query}`, { headers: { authorization: reader.authorization } }),
        paramsOf({}),
      );
    for (const cursor of BAD_CURSORS) {
      expect(await errorOf(await review(`?cursor=${cursor}`)), cursor).toEqual({ status: 400, code: "bad_request" });
      expect(await errorOf(await api(`?cursor=${cursor}`)), cursor).toEqual({ status: 400, code: "bad_request" });
    }
    // A NUL in any query parameter is not text: refused by the shared query parsing (readQuery).
    expect(await errorOf(await review("?cursor=%00"))).toEqual({ status: 400, code: "invalid_text" });
    expect(await errorOf(await api("?cursor=%00"))).toEqual({ status: 400, code: "invalid_text" });
    const valid = encodeKeysetCursor({ createdAt: new Date(), id: "00000000-0000-4000-8000-000000000000" });
    expect((await review(`?cursor=${valid}`)).status).toBe(200);
    expect((await api(`?cursor=${valid}`)).status).toBe(200);
  });

  it("a NUL in ?q= is 400 invalid_text on both lists and both CSV exports, before any row or byte is sent (issue 23)", async () => {
    const { organization, cookie } = await createOrgWithMember("REVIEWER");
    const slug = organization.slug;
    const reader = await apiTokenFor(organization.id, ["applications:read"]);
    const apiRequest = (path: string) =>
      new Request(`${TEST_ORIGIN}${path}`, { headers: { authorization: reader.authorization } });
    const answers = [
      await listReview(
        dashboardRequest("GET", `/api/orgs/${slug}/applications?q=a%00b`, { cookie }),
        paramsOf({ slug }),
      ),
      await exportReview(
        dashboardRequest("GET", `/api/orgs/${slug}/applications/export?q=a%00b`, { cookie }),
        paramsOf({ slug }),
      ),
      await listApi(apiRequest("/api/v1/applications?q=a%00b"), paramsOf({})),
      await exportApi(apiRequest("/api/v1/applications/export?q=%00"), paramsOf({})),
    ];
    for (const response of answers) {
      expect(response.headers.get("content-type")).toMatch(/^application\/json/);
      expect(await errorOf(response)).toEqual({ status: 400, code: "invalid_text" });
    }
    // Text without a NUL still searches (and exports) as before.
    expect((await listApi(apiRequest("/api/v1/applications?q=ab"), paramsOf({}))).status).toBe(200);
    const csv = await exportApi(apiRequest("/api/v1/applications/export?q=ab"), paramsOf({}));
    expect(csv.status).toBe(200);
    await csv.text();
  });
});
