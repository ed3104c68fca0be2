// The dashboard's review routes, called as Next calls them: a real Request with the session cookie.
import { beforeAll, describe, expect, it } from "vitest";
import { GET as list } from "@/app/api/orgs/[slug]/applications/route";
import { GET as detail } from "@/app/api/orgs/[slug]/applications/[applicationId]/route";
import { POST as approve } from "@/app/api/orgs/[slug]/applications/[applicationId]/approve/route";
import { POST as reject } from "@/app/api/orgs/[slug]/applications/[applicationId]/reject/route";
import { POST as retry } from "@/app/api/orgs/[slug]/applications/[applicationId]/retry/route";
import { GET as listQuestions, POST as createQuestion } from "@/app/api/orgs/[slug]/questions/route";
import { DELETE as archiveQuestion, PUT as updateQuestion } from "@/app/api/orgs/[slug]/questions/[questionId]/route";
import { db } from "@/lib/db";
import { ensureJobSchema } from "@/lib/jobs/migrate";
import { createApplication, listJobs } from "~tests/helpers/applications";
import { createOrgWithMember, dashboardRequest, paramsOf } from "~tests/helpers/auth";

beforeAll(async () => {
  await ensureJobSchema();
});

async function body(response: Response) {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- reason: assertions read nested fields of any route's body
  return (await response.json()) as Record<string, any>;
}

describe("review routes", () => {
  it("a reviewer lists, reads, approves and rejects; the second decision is 409 illegal_transition", async () => {
    const { organization, cookie, user } = await createOrgWithMember("REVIEWER");
    const a = await createApplication({ organizationId: organization.id, applicantDiscordId: null });
    const b = await createApplication({ organizationId: organization.id });
    const slug = organization.slug;

    const page = await body(
      await list(dashboardRequest("GET", `/api/orgs/${slug}/applications?limit=1`, { cookie }), paramsOf({ slug })),
    );
    expect(page.items).toHaveLength(1);
    expect(page.nextCursor).toEqual(expect.any(String));
    expect(page.items[0]).not.toHaveProperty("idempotencyKey");

    const one = await detail(
      dashboardRequest("GET", `/api/orgs/${slug}/applications/${a.id}`, { cookie }),
      paramsOf({ slug, applicationId: a.id }),
    );
    expect(one.status).toBe(200);
    expect((await body(one)).application).toMatchObject({
      id: a.id,
      status: "PENDING",
      roleAssignment: { retriesLeft: 5 },
    });

    const approved = await approve(
      dashboardRequest("POST", `/api/orgs/${slug}/applications/${a.id}/approve`, { cookie }),
      paramsOf({ slug, applicationId: a.id }),
    );
    expect(approved.status).toBe(200);
    expect((await body(approved)).application).toMatchObject({
      status: "APPROVED",
      roleAssignment: { status: "NOT_APPLICABLE" },
      reviewedById: user.id,
    });

    const approvedB = await approve(
      dashboardRequest("POST", `/api/orgs/${slug}/applications/${b.id}/approve`, { cookie }),
      paramsOf({ slug, applicationId: b.id }),
    );
    expect((await body(approvedB)).application.status).toBe("APPROVED_PENDING_ROLE");
    expect(await listJobs()).toHaveLength(1);

    const again = await reject(
      dashboardRequest("POST", `/api/orgs/${slug}/applications/${a.id}/reject`, { cookie }),
      paramsOf({ slug, applicationId: a.id }),
    );
    expect(again.status).toBe(409);
    expect((await body(again)).error.code).toBe("illegal_transition");
  });

  it("retry answers 409 retry_limit_reached after five manual retries, and 404 for another organization's application", async () => {
    const { organization, cookie } = await createOrgWithMember("ADMIN");
    const other = await createOrgWithMember("ADMIN");
    const slug = organization.slug;
    const failed = await createApplication({
      organizationId: organization.id,
      status: "APPROVED_ROLE_FAILED",
      retryCount: 5,
    });
    const foreign = await createApplication({ organizationId: other.organization.id, status: "APPROVED_ROLE_FAILED" });

    const limited = await retry(
      dashboardRequest("POST", `/api/orgs/${slug}/applications/${failed.id}/retry`, { cookie }),
      paramsOf({ slug, applicationId: failed.id }),
    );
    expect(limited.status).toBe(409);
    expect((await body(limited)).error.code).toBe("retry_limit_reached");

    const hidden = await retry(
      dashboardRequest("POST", `/api/orgs/${slug}/applications/${foreign.id}/retry`, { cookie }),
      paramsOf({ slug, applicationId: foreign.id }),
    );
    expect(hidden.status).toBe(404);
    expect((await db.application.findUniqueOrThrow({ where: { id: foreign.id } })).retryCount).toBe(0);

    const bad = await detail(
      dashboardRequest("GET", `/api/orgs/${slug}/applications/x'--`, { cookie }),
      paramsOf({ slug, applicationId: "x'--" }),
    );
    expect(bad.status).toBe(404);
  });

  it("an unknown status filter or bad cursor is a 400, not a 500", async () => {
    const { organization, cookie } = await createOrgWithMember("REVIEWER");
    const slug = organization.slug;
    const badStatus = await list(
      dashboardRequest("GET", `/api/orgs/${slug}/applications?status=WHATEVER`, { cookie }),
      paramsOf({ slug }),
    );
    expect(badStatus.status).toBe(400);
    const badCursor = await list(
      dashboardRequest("GET", `/api/orgs/${slug}/applications?cursor=abc`, { cookie }),
      paramsOf({ slug }),
    );
    expect(badCursor.status).toBe(400);
  });
});

describe("question routes", () => {
  it("an admin adds, changes, lists and archives questions; bad input is a 400 that writes nothing", async () => {
    const { organization, cookie } = await createOrgWithMember("ADMIN");
    const slug = organization.slug;
    const created = await createQuestion(
      dashboardRequest("POST", `/api/orgs/${slug}/questions`, {
        cookie,
        body: { label: "Timezone?", kind: "SINGLE_CHOICE", options: ["EU", "US"] },
      }),
      paramsOf({ slug }),
    );
    expect(created.status).toBe(201);
    const question = (await body(created)).question;
    expect(question).toMatchObject({
      label: "Timezone?",
      kind: "SINGLE_CHOICE",
      required: true,
      options: ["EU", "US"],
      position: 0,
    });

    const invalid = await createQuestion(
      dashboardRequest("POST", `/api/orgs/${slug}/questions`, {
        cookie,
        body: { label: "One option", kind: "SINGLE_CHOICE", options: ["only"] },
      }),
      paramsOf({ slug }),
    );
    expect(invalid.status).toBe(400);

    const changed = await updateQuestion(
      dashboardRequest("PUT", `/api/orgs/${slug}/questions/${question.id}`, {
        cookie,
        body: { label: "Why?", kind: "LONG_TEXT", required: false, maxLength: 500 },
      }),
      paramsOf({ slug, questionId: question.id }),
    );
    expect((await body(changed)).question).toMatchObject({
      label: "Why?",
      kind: "LONG_TEXT",
      required: false,
      maxLength: 500,
      options: [],
    });

    const listed = await body(
      await listQuestions(dashboardRequest("GET", `/api/orgs/${slug}/questions`, { cookie }), paramsOf({ slug })),
    );
    expect(listed.questions.map((q: { id: string }) => q.id)).toEqual([question.id]);

    const archived = await archiveQuestion(
      dashboardRequest("DELETE", `/api/orgs/${slug}/questions/${question.id}`, { cookie }),
      paramsOf({ slug, questionId: question.id }),
    );
    expect(archived.status).toBe(204);
    expect(await db.applicationQuestion.count({ where: { archivedAt: null } })).toBe(0);
    expect(await db.applicationQuestion.count()).toBe(1);
  });

  it("a reviewer may not manage questions (403)", async () => {
    const { organization, cookie } = await createOrgWithMember("REVIEWER");
    const slug = organization.slug;
    const denied = await createQuestion(
      dashboardRequest("POST", `/api/orgs/${slug}/questions`, { cookie, body: { label: "x", kind: "SHORT_TEXT" } }),
      paramsOf({ slug }),
    );
    expect(denied.status).toBe(403);
    expect(await db.applicationQuestion.count()).toBe(0);
  });
});
