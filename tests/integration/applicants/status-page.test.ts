// The applicant's own page (issue 14): an applicant session of its own (not a dashboard session) that signs out,
// and /apply/<org>/status's data: only the signed-in applicant's applications, with state, the reason when rejected,
// their answers and what to do next; another applicant's application id is 404.
import { describe, expect, it } from "vitest";
import { GET as listOwn } from "@/app/api/apply/[slug]/applications/route";
import { GET as getOwn } from "@/app/api/apply/[slug]/applications/[applicationId]/route";
import { POST as logout } from "@/app/api/apply/logout/route";
import { GET as dashboardApplications } from "@/app/api/orgs/[slug]/applications/route";
import { readApplicant, startApplicantSession } from "@/lib/applicants/session";
import { updateApplicationStatus } from "@/lib/applications/decisions/review";
import { db } from "@/lib/db";
import { addQuestion, createOrgWithGuild, createReviewer } from "~tests/helpers/applications";
import { paramsOf, TEST_ORIGIN } from "~tests/helpers/auth";
import { submitApplication } from "@/lib/applications/intake/submit-application";

const ALEX = "1200000000000000200";
const OLIVE = "1200000000000000300";

async function signIn(discordUserId: string, name: string) {
  const { cookie } = await startApplicantSession({ discordUserId, name });
  return cookie.split(";")[0]!;
}

const get = (path: string, cookie?: string) =>
  new Request(`${TEST_ORIGIN}${path}`, { headers: cookie ? { cookie } : {} });

async function setup() {
  const { organization } = await createOrgWithGuild();
  const question = await addQuestion({ organizationId: organization.id, label: "Why do you want to join?" });
  await db.applicantSettings.create({
    data: { organizationId: organization.id, inviteUrl: "https://discord.gg/acme123" },
  });
  const apply = async (discordUserId: string, name: string, answer: string) =>
    (
      await submitApplication({
        organizationId: organization.id,
        applicantDiscordId: discordUserId,
        applicantName: name,
        answers: { [question.id]: answer },
        source: "WEB",
      })
    ).application;
  return { organization, slug: organization.slug, apply };
}

type Listed = {
  applications: {
    id: string;
    status: string;
    state: string;
    rejectReason: string | null;
    answers: { label: string; value: string }[];
    next: string | null;
    inviteUrl: string | null;
  }[];
};

describe("the applicant's status page", () => {
  it("lists only the signed-in applicant's applications, with the reason and their answers; another's id is 404", async () => {
    const { organization, slug, apply } = await setup();
    const reviewer = await createReviewer();
    const alexApp = await apply(ALEX, "Alex", "I love the community");
    const oliveApp = await apply(OLIVE, "Olive", "Olive's private answer");
    await updateApplicationStatus({
      applicationId: alexApp.id,
      organizationId: organization.id,
      status: "REJECTED",
      reviewerId: reviewer.id,
      reason: "Tell us more about yourself",
    });
    const alex = await signIn(ALEX, "Alex");

    const response = await listOwn(get(`/api/apply/${slug}/applications`, alex), paramsOf({ slug }));
    expect(response.status).toBe(200);
    const listed = (await response.json()) as Listed;
    expect(listed.applications.map((a) => a.id)).toEqual([alexApp.id]);
    expect(listed.applications[0]).toMatchObject({
      status: "REJECTED",
      state: "Not accepted",
      rejectReason: "Tell us more about yourself",
      answers: [{ label: "Why do you want to join?", value: "I love the community" }],
    });
    expect(JSON.stringify(listed)).not.toContain("Olive");

    const own = await getOwn(
      get(`/api/apply/${slug}/applications/${alexApp.id}`, alex),
      paramsOf({ slug, applicationId: alexApp.id }),
    );
    expect(own.status).toBe(200);
    const other = await getOwn(
      get(`/api/apply/${slug}/applications/${oliveApp.id}`, alex),
      paramsOf({ slug, applicationId: oliveApp.id }),
    );
    expect(other.status).toBe(404);
    const otherBody = await other.text();
    expect(otherBody).not.toContain("Olive");
    // The same answer as an id that does not exist.
    const unknown = await getOwn(
      get(`/api/apply/${slug}/applications/00000000-0000-4000-8000-000000000000`, alex),
      paramsOf({ slug, applicationId: "00000000-0000-4000-8000-000000000000" }),
    );
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe("not_found");
  });

  it("approved but not in the server: the invite link and that the role follows", async () => {
    const { organization, slug, apply } = await setup();
    const app = await apply(ALEX, "Alex", "Hi");
    await db.application.update({
      where: { id: app.id },
      data: { status: "APPROVED_ROLE_FAILED", roleErrorCode: "member_not_in_guild", roleAttemptedAt: new Date() },
    });
    const listed = (await (
      await listOwn(get(`/api/apply/${slug}/applications`, await signIn(ALEX, "Alex")), paramsOf({ slug }))
    ).json()) as Listed;
    expect(listed.applications[0]).toMatchObject({
      state: "Approved: join the server to get your role",
      inviteUrl: "https://discord.gg/acme123",
    });
    expect(listed.applications[0]!.next).toMatch(/your role follows automatically/);
    expect(organization.id).toBeTruthy();
  });

  it("approved but the time to join has passed: says so instead of promising a past date", async () => {
    const { slug, apply } = await setup();
    const app = await apply(ALEX, "Alex", "Hi");
    const attempted = new Date(Date.now() - 8 * 24 * 3600_000);
    await db.application.update({
      where: { id: app.id },
      data: { status: "APPROVED_ROLE_FAILED", roleErrorCode: "member_not_in_guild", roleAttemptedAt: attempted },
    });
    const listed = (await (
      await listOwn(get(`/api/apply/${slug}/applications`, await signIn(ALEX, "Alex")), paramsOf({ slug }))
    ).json()) as Listed;
    expect(listed.applications[0]!.next).toMatch(/^The time to join passed on \d{4}-\d{2}-\d{2}/);
    expect(listed.applications[0]!.next).not.toMatch(/follows automatically/);
  });

  it("the applicant session is its own: no dashboard access, and signing out ends it for good", async () => {
    const { slug } = await setup();
    const alex = await signIn(ALEX, "Alex");
    const token = alex.slice("gg_applicant=".length);
    // An applicant is not a dashboard user: their cookie opens nothing there.
    const dashboard = await dashboardApplications(get(`/api/orgs/${slug}/applications`, alex), paramsOf({ slug }));
    expect(dashboard.status).toBe(401);
    expect(await db.user.count({ where: { discordUserId: ALEX } })).toBe(0);
    expect(await db.applicant.count({ where: { discordUserId: ALEX } })).toBe(1);

    const out = await logout(
      new Request(`${TEST_ORIGIN}/api/apply/logout?next=/apply/${slug}`, {
        method: "POST",
        headers: { origin: TEST_ORIGIN, cookie: alex },
      }),
      paramsOf({}),
    );
    expect(out.status).toBe(303);
    expect(out.headers.get("location")).toBe(`${TEST_ORIGIN}/apply/${slug}`);
    expect(out.headers.getSetCookie().some((c) => c.startsWith("gg_applicant=;") && c.includes("Max-Age=0"))).toBe(
      true,
    );
    expect(await readApplicant(token)).toBeNull();
    expect(await db.applicantSession.count()).toBe(0);
    const after = await listOwn(get(`/api/apply/${slug}/applications`, alex), paramsOf({ slug }));
    expect(after.status).toBe(401);

    // A cross-site sign-out is refused (a link elsewhere cannot sign the applicant out), and never redirects off-site.
    const again = await signIn(ALEX, "Alex");
    const cross = await logout(
      new Request(`${TEST_ORIGIN}/api/apply/logout`, {
        method: "POST",
        headers: { origin: "https://evil.example", cookie: again },
      }),
      paramsOf({}),
    );
    expect(cross.status).toBe(403);
    expect(await readApplicant(again.slice("gg_applicant=".length))).not.toBeNull();
    const offsite = await logout(
      new Request(`${TEST_ORIGIN}/api/apply/logout?next=https://evil.example`, {
        method: "POST",
        headers: { origin: TEST_ORIGIN, cookie: again },
      }),
      paramsOf({}),
    );
    expect(offsite.headers.get("location")).toBe(`${TEST_ORIGIN}/`);
  });
});
