// The applicants journey (issue 14): the admin sets a rejection template and a minimum account age, an applicant
// applies and is rejected with a reason through the confirmation dialog, reads the reason on their own status page,
// the sandbox shows the bot's DM with the template filled in, and a Discord account made two days ago is told it is
// too new after signing in, before any question is shown. Registered at the end of JOURNEYS.
import assert from "node:assert/strict";
import type { BrowserContext, Page } from "playwright-core";
import { snowflakeFromTimestamp } from "../../src/lib/discord/ids";
import { WORLD_IDS } from "../fakes/discord/world";
import { capture } from "./checks";
import type { Journey, JourneyContext } from "./journeys";

const SLUG = "acme";
const SETTLE_MS = 30_000;
const RIA = { id: "1200000000000000888", username: "ria_rejected", globalName: "Ria Rejected" };
const REASON = "Tell us more about the raids you have led.";
const TEMPLATE = "Sorry {applicant}, {server} said no to your {form}. Reason: {reason}";

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

async function signInAdmin(ctx: JourneyContext): Promise<Page> {
  const page = await ctx.context.newPage();
  await page.goto("/signin");
  await page.getByRole("link", { name: "Continue with Discord" }).click();
  await page.waitForURL(/\/oauth2\/authorize/);
  await page.getByRole("button", { name: "Authorize" }).click();
  await page.waitForURL((url) => url.pathname.startsWith("/dashboard"));
  return page;
}

/** A fresh browser of the applicant, signed in on the default form's page as `userId`. */
async function applicantOnForm(ctx: JourneyContext, userId: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await ctx.browser.newContext({ baseURL: ctx.baseUrl });
  const page = await context.newPage();
  await page.goto(`/apply/${SLUG}/apply`);
  await page.getByRole("link", { name: "Apply with Discord" }).click();
  await page.waitForURL(/\/oauth2\/authorize/);
  const consent = new URL(page.url());
  consent.searchParams.set("as", userId);
  await page.goto(consent.toString());
  await page.getByRole("button", { name: "Authorize" }).click();
  await page.waitForURL(`**/apply/${SLUG}/apply**`);
  return { context, page };
}

export const applicantsJourney: Journey = {
  name: "8 applicants: rejected with a reason, read on the status page and in the sandbox's DM; a too-new account is told first",
  async run(ctx) {
    await sandbox(ctx, "/_sandbox/users", RIA);
    // A member of the guild, so the bot's DM can reach her.
    await sandbox(ctx, `/_sandbox/guilds/${WORLD_IDS.guild}/members`, { userId: RIA.id });

    await ctx.context.clearCookies();
    const admin = await signInAdmin(ctx);
    await admin.goto(`/dashboard/${SLUG}/settings/applicants`);
    await admin.getByLabel("Rejection message", { exact: true }).fill(TEMPLATE);
    // The preview is the message as it will be sent, with the real server name.
    await admin
      .getByTestId("preview-rejected")
      .filter({ hasText: "Sorry Alex Applicant, Demo Guild said no to your Member application." })
      .waitFor();
    await admin.getByLabel("Minimum account age (days)", { exact: true }).fill("30");
    await admin.getByRole("button", { name: "Save", exact: true }).click();
    await admin.getByText("Applicant settings saved.").waitFor();
    await capture(admin, "applicant-settings", ctx.screenshot, { baseUrl: ctx.baseUrl });

    // Ria applies through the default form.
    const ria = await applicantOnForm(ctx, RIA.id);
    await ria.page.getByLabel("Why do you want to join?").fill("I like the people.");
    await ria.page.getByRole("button", { name: "Send application" }).click();
    await ria.page.getByRole("status").filter({ hasText: "waiting for review" }).waitFor();

    // The admin rejects: a confirmation with the reason.
    await admin.goto(`/dashboard/${SLUG}/applications`);
    await admin.getByRole("button", { name: `Reject ${RIA.globalName}` }).click();
    const dialog = admin.getByRole("dialog");
    await dialog.getByRole("heading", { name: `Reject ${RIA.globalName}?` }).waitFor();
    await dialog.getByLabel("Reason (optional)").fill(REASON);
    await dialog.getByRole("button", { name: "Reject" }).click();
    const row = admin.locator("tbody tr", { hasText: RIA.globalName });
    await row.getByText("Rejected", { exact: true }).waitFor({ timeout: SETTLE_MS });
    await row.getByRole("link", { name: RIA.globalName }).click();
    await admin.getByText(`Reason: ${REASON}`, { exact: true }).waitFor();

    // The sandbox shows the DM the bot sent, the template filled in.
    const expected = `Sorry ${RIA.globalName}, Demo Guild said no to your Application. Reason: ${REASON}`;
    const deadline = Date.now() + SETTLE_MS;
    let dms: { messages: { content: string }[] };
    for (;;) {
      dms = (await sandbox(ctx, `/_sandbox/users/${RIA.id}/dms`)) as typeof dms;
      if (dms.messages.length || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    assert.deepEqual(
      dms.messages.map((m) => m.content),
      [expected],
      "the applicant got one DM with the template filled in",
    );
    const dmPage = await ctx.context.newPage();
    await dmPage.goto(`${ctx.sandboxUrl}/_sandbox/dms?user=${RIA.id}`);
    await dmPage.getByText(expected).waitFor();
    await ctx.screenshot(dmPage, "sandbox-dm");
    await dmPage.close();
    // The dashboard shows the message went out.
    await admin.reload();
    await admin
      .getByText(/^Sent /)
      .first()
      .waitFor({ timeout: SETTLE_MS });

    // Ria reads the decision and the reason on her own page, with a copy of her answers.
    await ria.page.goto(`/apply/${SLUG}/status`);
    await ria.page.getByRole("heading", { name: /Your applications to Demo Guild/ }).waitFor();
    await ria.page.getByText("Not accepted").waitFor();
    await ria.page.getByText(REASON).waitFor();
    await ria.page.getByText("Your answers").click();
    await ria.page.getByText("I like the people.").waitFor();
    await capture(ria.page, "applicant-status", ctx.screenshot, { baseUrl: ctx.baseUrl });
    // Signing out ends her session: the page asks to sign in again.
    await ria.page.getByRole("button", { name: "Sign out" }).click();
    await ria.page.waitForURL(`**/apply/${SLUG}/status`);
    await ria.page.getByRole("link", { name: "Sign in with Discord" }).waitFor();
    await ria.context.close();

    // A Discord account made two days ago: told after signing in, before any question.
    const young = {
      id: snowflakeFromTimestamp(new Date(Date.now() - 2 * 24 * 60 * 60 * 1000), 99n),
      username: "new_here",
      globalName: "Nia New",
    };
    await sandbox(ctx, "/_sandbox/users", young);
    const nia = await applicantOnForm(ctx, young.id);
    await nia.page
      .getByRole("status")
      .filter({ hasText: "Your Discord account must be at least 30 days old to apply; it is 2 days old." })
      .waitFor();
    assert.equal(await nia.page.getByLabel("Why do you want to join?").count(), 0, "no question is shown");
    assert.equal(await nia.page.getByRole("button", { name: "Send application" }).count(), 0);
    await capture(nia.page, "apply-account-too-new", ctx.screenshot, { baseUrl: ctx.baseUrl });
    await nia.context.close();

    // Back to no minimum, so later checks start from the defaults.
    await admin.goto(`/dashboard/${SLUG}/settings/applicants`);
    await admin.getByLabel("Minimum account age (days)", { exact: true }).fill("0");
    await admin.getByRole("button", { name: "Save", exact: true }).click();
    await admin.getByText("Applicant settings saved.").waitFor();
  },
};
