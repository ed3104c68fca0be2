// Who may apply (issue 14): a closed form, the blocklist, the minimum account age (from the snowflake's timestamp)
// and the cooldown after a rejection are refused with their stable code on the web form (POST /api/apply/<org>)
// and the API (POST /api/v1/applications), writing nothing, and are told on the apply page before the form.
import { describe, expect, it } from "vitest";
import { POST as webSubmit } from "@/app/api/apply/[slug]/route";
import { POST as apiSubmit } from "@/app/api/v1/applications/route";
import { startApplicantSession } from "@/lib/applicants/session";
import { getApplyPageData } from "@/lib/applications/intake/apply-page";
import { db } from "@/lib/db";
import { snowflakeFromTimestamp } from "@/lib/discord/ids";
import { ensureDefaultForm } from "@/lib/forms/forms";
import { addQuestion, apiTokenFor, createOrgWithGuild, newSnowflake } from "~tests/helpers/applications";
import { paramsOf, TEST_ORIGIN } from "~tests/helpers/auth";

const DAY = 24 * 60 * 60 * 1000;
type ErrorBody = { error: { code: string; message: string; details?: { eligibleAt: string | null } } };

async function setup() {
  const { organization } = await createOrgWithGuild();
  const form = await ensureDefaultForm({ organizationId: organization.id });
  const question = await addQuestion({ organizationId: organization.id, formId: form.id, label: "Why?" });
  const writer = (await apiTokenFor(organization.id, ["applications:write"])).authorization;
  return { organization, form, question, writer, slug: organization.slug };
}

async function web(slug: string, discordUserId: string, answers: Record<string, unknown>) {
  const { cookie } = await startApplicantSession({ discordUserId, name: "Applicant" });
  return webSubmit(
    new Request(`${TEST_ORIGIN}/api/apply/${slug}`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: TEST_ORIGIN, cookie: cookie.split(";")[0]! },
      body: JSON.stringify({ answers }),
    }),
    paramsOf({ slug }),
  );
}

function api(writer: string, discordUserId: string, answers: Record<string, unknown>) {
  return apiSubmit(
    new Request(`${TEST_ORIGIN}/api/v1/applications`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: writer },
      body: JSON.stringify({ discordUserId, applicantName: "Applicant", answers }),
    }),
    paramsOf({}),
  );
}

/** Both intake paths refuse with `code` and `status`, and neither writes an application or an audit row. */
async function expectRefusedEverywhere(
  ctx: Awaited<ReturnType<typeof setup>>,
  discordUserId: string,
  code: string,
  status: number,
) {
  const before = { applications: await db.application.count(), submits: await submits() };
  const answers = { [ctx.question.id]: "Because" };
  for (const response of [await web(ctx.slug, discordUserId, answers), await api(ctx.writer, discordUserId, answers)]) {
    expect(response.status).toBe(status);
    const body = (await response.json()) as ErrorBody;
    expect(body.error.code).toBe(code);
    expect(body.error.message.length).toBeGreaterThan(10);
  }
  expect({ applications: await db.application.count(), submits: await submits() }).toEqual(before);
  // The apply page says so after sign-in, before the form is filled in.
  const page = await getApplyPageData({
    slug: ctx.slug,
    formSlug: ctx.form.slug,
    applicant: { id: "x", discordUserId, name: "Applicant" },
  });
  expect(page.ineligible?.code).toBe(code);
}

const submits = () => db.auditEvent.count({ where: { action: "application.submit" } });

describe("who may apply", () => {
  it("a closed form: 409 form_closed on web and API, nothing written", async () => {
    const ctx = await setup();
    await db.applicationForm.update({ where: { id: ctx.form.id }, data: { isOpen: false } });
    await expectRefusedEverywhere(ctx, newSnowflake(), "form_closed", 409);
  });

  it("a blocked Discord id: 403 applicant_blocked; anyone else still applies", async () => {
    const ctx = await setup();
    const blocked = newSnowflake();
    await db.applicantSettings.create({ data: { organizationId: ctx.organization.id, blockedUserIds: [blocked] } });
    await expectRefusedEverywhere(ctx, blocked, "applicant_blocked", 403);
    expect((await web(ctx.slug, newSnowflake(), { [ctx.question.id]: "Hi" })).status).toBe(201);
  });

  it("an account younger than the minimum age: 403 account_too_new with the day it may apply", async () => {
    const ctx = await setup();
    await db.applicantSettings.create({ data: { organizationId: ctx.organization.id, minAccountAgeDays: 30 } });
    const created = new Date(Date.now() - 2 * DAY);
    const young = snowflakeFromTimestamp(created, 7n);
    await expectRefusedEverywhere(ctx, young, "account_too_new", 403);
    const response = await api(ctx.writer, young, { [ctx.question.id]: "x" });
    const { details } = ((await response.json()) as ErrorBody).error;
    expect(new Date(details!.eligibleAt!).getTime()).toBe(created.getTime() + 30 * DAY);
    // An account old enough passes; a form's own requirement overrides the organization's.
    expect(
      (await api(ctx.writer, snowflakeFromTimestamp(new Date(Date.now() - 31 * DAY), 1n), { [ctx.question.id]: "x" }))
        .status,
    ).toBe(201);
    await db.applicationForm.update({ where: { id: ctx.form.id }, data: { minAccountAgeDays: 0 } });
    expect((await api(ctx.writer, young, { [ctx.question.id]: "x" })).status).toBe(201);
  });

  it("a rejection within the cooldown: 409 cooldown_active; after it, the applicant may apply again", async () => {
    const ctx = await setup();
    await db.applicantSettings.create({ data: { organizationId: ctx.organization.id, rejectCooldownDays: 7 } });
    const recent = newSnowflake();
    const rejectedAt = new Date(Date.now() - 2 * DAY);
    await db.application.create({
      data: {
        organizationId: ctx.organization.id,
        formId: ctx.form.id,
        applicantDiscordId: recent,
        applicantName: "A",
        status: "REJECTED",
        reviewedAt: rejectedAt,
      },
    });
    await expectRefusedEverywhere(ctx, recent, "cooldown_active", 409);
    const body = (await (await api(ctx.writer, recent, { [ctx.question.id]: "x" })).json()) as ErrorBody;
    expect(new Date(body.error.details!.eligibleAt!).getTime()).toBe(rejectedAt.getTime() + 7 * DAY);
    expect(body.error.message).toMatch(/You can apply again from/);

    const longAgo = newSnowflake();
    await db.application.create({
      data: {
        organizationId: ctx.organization.id,
        formId: ctx.form.id,
        applicantDiscordId: longAgo,
        applicantName: "B",
        status: "REJECTED",
        reviewedAt: new Date(Date.now() - 8 * DAY),
      },
    });
    expect((await web(ctx.slug, longAgo, { [ctx.question.id]: "Again" })).status).toBe(201);
  });

  it("the page shows the minimum age before sign-in, and nothing stops an eligible applicant", async () => {
    const ctx = await setup();
    await db.applicationForm.update({ where: { id: ctx.form.id }, data: { minAccountAgeDays: 10 } });
    const anonymous = await getApplyPageData({ slug: ctx.slug, applicant: null });
    expect(anonymous.requirements).toEqual({ minAccountAgeDays: 10, rejectCooldownDays: 0 });
    expect(anonymous.ineligible).toBeNull();
    const old = await getApplyPageData({
      slug: ctx.slug,
      applicant: { id: "x", discordUserId: "1200000000000000200", name: "Alex" },
    });
    expect(old.ineligible).toBeNull();
  });
});
