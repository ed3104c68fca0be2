// The forms journey (issue 13): an admin creates a second form whose approval adds two roles and removes one, an
// applicant applies through it, the admin approves and the sandbox guild shows the roles changed, then the admin
// revokes and the roles are gone again (the removed one given back). Registered at the end of JOURNEYS.
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { WORLD_IDS } from "../fakes/discord/world";
import type { Journey, JourneyContext } from "./journeys";

const SLUG = "acme";
const FORM = "Staff team";
const FORM_SLUG = "staff-team";
const QUESTION = "Which timezone are you in?";
const SETTLE_MS = 30_000;
const APPLICANT = { id: "1200000000000000777", username: "sam_staff", globalName: "Sam Staff" };

type SandboxGuild = {
  id: string;
  roles: { id: string; name: string }[];
  members: { userId: string; roleIds: string[] }[];
};

async function sandbox(ctx: JourneyContext, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(
    `${ctx.sandboxUrl}${path}`,
    body === undefined
      ? {}
      : { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) },
  );
  assert.ok(response.ok, `sandbox ${path} answered ${response.status}`);
  return response.json();
}

async function guild(ctx: JourneyContext): Promise<SandboxGuild> {
  const state = (await sandbox(ctx, "/_sandbox")) as { guilds: SandboxGuild[] };
  return state.guilds.find((g) => g.id === WORLD_IDS.guild)!;
}

async function roleNamesOf(ctx: JourneyContext, userId: string): Promise<string[]> {
  const g = await guild(ctx);
  const ids = g.members.find((m) => m.userId === userId)?.roleIds ?? [];
  return ids.map((id) => g.roles.find((r) => r.id === id)?.name ?? id).sort();
}

async function signInAdmin(ctx: JourneyContext): Promise<Page> {
  const page = await ctx.context.newPage();
  await page.goto("/signin");
  await page.getByRole("link", { name: "Continue with Discord" }).click();
  await page.waitForURL(/\/oauth2\/authorize/);
  await page.getByRole("button", { name: "Authorize" }).click();
  await page.waitForURL((url) => url.pathname.startsWith("/dashboard"));
  return page;
}

export const formsJourney: Journey = {
  name: "7 forms: a second form adds two roles and removes one on approval; revoking takes them back",
  async run(ctx) {
    // A new member of the guild holding the "Member" role (the one the staff form removes), and a "Verified" role.
    await sandbox(ctx, "/_sandbox/users", APPLICANT);
    await sandbox(ctx, `/_sandbox/guilds/${WORLD_IDS.guild}/members`, {
      userId: APPLICANT.id,
      roleIds: [WORLD_IDS.memberRole],
    });
    await sandbox(ctx, `/_sandbox/guilds/${WORLD_IDS.guild}/roles`, { name: "Verified", position: 2 });

    await ctx.context.clearCookies();
    const admin = await signInAdmin(ctx);
    await admin.goto(`/dashboard/${SLUG}/settings/forms`);
    await admin.getByLabel("New form name").fill(FORM);
    await admin.getByRole("button", { name: "Create form" }).click();
    await admin.waitForURL(`**/dashboard/${SLUG}/settings/forms/${FORM_SLUG}`);
    await admin.getByRole("button", { name: "Add a question" }).click();
    await admin.getByLabel("Question", { exact: true }).fill(QUESTION);
    await admin.getByRole("button", { name: "Save question" }).click();
    await admin.getByText(QUESTION).waitFor();
    const adds = admin.getByRole("group", { name: "On approval, add" });
    await adds.getByLabel("Approved").check();
    await adds.getByLabel("Verified").check();
    await admin.getByRole("group", { name: "On approval, remove" }).getByLabel("Member").check();
    await ctx.screenshot(admin, "form-role-rule");
    await admin.getByRole("button", { name: "Save role rule" }).click();
    await admin.getByText("Role rule saved.").waitFor();

    // The applicant applies through the new form's own address.
    const applicantContext = await ctx.browser.newContext({ baseURL: ctx.baseUrl });
    const applicant = await applicantContext.newPage();
    await applicant.goto(`/apply/${SLUG}/${FORM_SLUG}`);
    await applicant.getByRole("heading", { name: new RegExp(FORM) }).waitFor();
    await applicant.getByRole("link", { name: "Apply with Discord" }).click();
    await applicant.waitForURL(/\/oauth2\/authorize/);
    const consent = new URL(applicant.url());
    consent.searchParams.set("as", APPLICANT.id);
    await applicant.goto(consent.toString());
    await applicant.getByRole("button", { name: "Authorize" }).click();
    await applicant.waitForURL(`**/apply/${SLUG}/${FORM_SLUG}**`);
    await applicant.getByLabel(QUESTION).fill("Europe");
    await applicant.getByRole("button", { name: "Send application" }).click();
    await applicant.getByRole("status").filter({ hasText: "waiting for review" }).waitFor();
    await ctx.screenshot(applicant, "form-applied");
    await applicantContext.close();

    // Approve: Approved and Verified added, Member removed.
    await admin.goto(`/dashboard/${SLUG}/applications`);
    const row = admin.locator("tbody tr", { hasText: APPLICANT.globalName ?? APPLICANT.username });
    await admin.getByRole("button", { name: `Approve ${APPLICANT.globalName}` }).click();
    await row.getByText("Approved – Role assigned").waitFor({ timeout: SETTLE_MS });
    assert.deepEqual(
      await roleNamesOf(ctx, APPLICANT.id),
      ["Approved", "Verified"],
      "the sandbox shows both roles added and Member removed",
    );

    // Revoke with a reason: both roles removed, Member given back.
    await row.getByRole("link", { name: APPLICANT.globalName }).click();
    await admin.getByRole("button", { name: "Revoke" }).click();
    const dialog = admin.getByRole("dialog");
    await dialog.getByLabel("Reason").fill("Stepped down from the team");
    await dialog.getByRole("button", { name: "Revoke" }).click();
    await admin.getByText("Revoked", { exact: true }).first().waitFor({ timeout: SETTLE_MS });
    await admin.getByText("Stepped down from the team").first().waitFor();
    await ctx.screenshot(admin, "application-revoked");
    const deadline = Date.now() + SETTLE_MS;
    let roles = await roleNamesOf(ctx, APPLICANT.id);
    while (roles.join() !== "Member" && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      roles = await roleNamesOf(ctx, APPLICANT.id);
    }
    assert.deepEqual(roles, ["Member"], "after the revocation the added roles are gone and Member is back");
  },
};
