// The review-in-Discord journey (issue 15): the admin picks the review channel in the settings, an applicant
// applies, the application appears in the sandbox's review channel (posted by the build's own worker), the admin
// clicks Approve there (a signed interaction to the production build), and the dashboard shows it approved with the
// role assigned. Registered at the end of JOURNEYS.
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { PERMISSIONS } from "../fakes/discord/model";
import { WORLD_IDS } from "../fakes/discord/world";
import type { Journey, JourneyContext } from "./journeys";

const SLUG = "acme";
const QUESTION = "Why do you want to join?";
const SETTLE_MS = 30_000;
const APPLICANT = { id: "1200000000000000888", username: "riley_reviewed", globalName: "Riley Reviewed" };

async function sandboxPost(ctx: JourneyContext, path: string, body: unknown): Promise<void> {
  const response = await fetch(`${ctx.sandboxUrl}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  assert.ok(response.ok, `sandbox ${path} answered ${response.status}`);
}

/** Reloads `page` until `text` shows (the worker posts and edits in its own process). */
async function reloadUntil(page: Page, text: string, timeoutMs = SETTLE_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if ((await page.getByText(text).count()) > 0) return;
    assert.ok(Date.now() < deadline, `"${text}" did not appear on ${page.url()}`);
    await new Promise((r) => setTimeout(r, 500));
    await page.reload();
  }
}

export const reviewJourney: Journey = {
  name: "9 review in Discord: the application in the sandbox's review channel, Approve clicked there, role assigned",
  async run(ctx) {
    await sandboxPost(ctx, "/_sandbox/users", APPLICANT);
    await sandboxPost(ctx, `/_sandbox/guilds/${WORLD_IDS.guild}/members`, { userId: APPLICANT.id });
    // What the bot authorization asks for; journey 3 changed the bot role's permissions by hand.
    const guild = ctx.sandbox.fake.model.guildOrThrow(WORLD_IDS.guild);
    const botRole = [...guild.roles.values()].find((r) => r.managed && r.botId);
    assert.ok(botRole, "the sandbox guild has the bot's role");
    botRole.permissions |=
      PERMISSIONS.MANAGE_ROLES | PERMISSIONS.VIEW_CHANNEL | PERMISSIONS.SEND_MESSAGES | PERMISSIONS.EMBED_LINKS;

    // The admin picks the review channel from the server's channels.
    await ctx.context.clearCookies();
    const admin = await ctx.context.newPage();
    await admin.goto("/signin");
    await admin.getByRole("link", { name: "Continue with Discord" }).click();
    await admin.waitForURL(/\/oauth2\/authorize/);
    await admin.getByRole("button", { name: "Authorize" }).click();
    await admin.waitForURL((url) => url.pathname.startsWith("/dashboard"));
    await admin.goto(`/dashboard/${SLUG}/settings`);
    const review = admin.getByRole("form", { name: "Review in Discord" });
    await review.getByLabel("Review channel").selectOption({ label: "#general" });
    await review.getByRole("button", { name: "Save review settings" }).click();
    await admin.getByText("New applications will be posted in Discord.").waitFor();
    await ctx.screenshot(admin, "review-settings");

    // The applicant applies on the web.
    const applicantContext = await ctx.browser.newContext({ baseURL: ctx.baseUrl });
    const applicant = await applicantContext.newPage();
    // The default form's own address (journey 7 added a second form, so /apply/acme lists both).
    await applicant.goto(`/apply/${SLUG}/apply`);
    await applicant.getByRole("link", { name: "Apply with Discord" }).click();
    await applicant.waitForURL(/\/oauth2\/authorize/);
    const consent = new URL(applicant.url());
    consent.searchParams.set("as", APPLICANT.id);
    await applicant.goto(consent.toString());
    await applicant.getByRole("button", { name: "Authorize" }).click();
    await applicant.waitForURL(`**/apply/${SLUG}**`);
    await applicant.getByLabel(QUESTION).fill("I organise the Tuesday events.");
    await applicant.getByRole("button", { name: "Send application" }).click();
    await applicant.getByRole("status").filter({ hasText: "waiting for review" }).waitFor();
    await applicantContext.close();

    // The review channel in the sandbox, as the Demo Admin sees it in Discord.
    const discord = await ctx.context.newPage();
    await discord.goto(`${ctx.sandboxUrl}/_sandbox/channels/${WORLD_IDS.generalChannel}?as=${WORLD_IDS.admin}`);
    await reloadUntil(discord, `Application from ${APPLICANT.globalName}`);
    const message = discord.getByRole("article").filter({ hasText: `Application from ${APPLICANT.globalName}` });
    await message.getByText("I organise the Tuesday events.").waitFor();
    await message.getByText(/Discord account: .* old/).waitFor();
    await ctx.screenshot(discord, "review-channel");
    await message.getByRole("button", { name: "Approve" }).click();
    await discord.waitForURL(/\/_sandbox\/channels\//);
    await message.getByText(/Approved by @Demo Admin/).waitFor();
    assert.equal(await message.getByRole("button", { name: "Approve" }).count(), 0, "the buttons are gone");
    await reloadUntil(discord, "Approved; role given");
    await ctx.screenshot(discord, "review-channel-decided");

    // The dashboard agrees: approved by the admin, role assigned; the sandbox shows the role.
    await admin.goto(`/dashboard/${SLUG}/applications`);
    const row = admin.locator("tbody tr", { hasText: APPLICANT.globalName });
    await row.getByText("Approved – Role assigned").waitFor({ timeout: SETTLE_MS });
    const approved = [...guild.roles.values()].find((r) => r.name === "Approved");
    const member = guild.members.get(APPLICANT.id);
    assert.ok(approved && member?.roleIds.has(approved.id), "the applicant holds the Approved role in the sandbox");
    await row.getByRole("link", { name: APPLICANT.globalName }).click();
    await admin.getByRole("heading", { name: "Timeline" }).waitFor();
    await ctx.screenshot(admin, "application-approved-in-discord");
  },
};
