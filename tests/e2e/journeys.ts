// The five end-to-end journeys of issue 7 (and a visual tour), run by scripts/e2e/run.ts against `next start`,
// the embedded database and the Discord sandbox. Each journey gets its own browser context (its own cookies).
import assert from "node:assert/strict";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import type { Db } from "../../src/lib/db";
import type { DiscordSandbox } from "../fakes/discord/sandbox";
import { WORLD_IDS } from "../fakes/discord/world";
import { applicantsJourney } from "./applicants-journey";
import { formsJourney } from "./forms-journey";
import { reviewJourney } from "./review-journey";

import { assertLayout, capture } from "./checks";

export type JourneyContext = {
  browser: Browser;
  context: BrowserContext;
  baseUrl: string;
  sandboxUrl: string;
  sandbox: DiscordSandbox;
  db: Db;
  /** Values one journey leaves for the next (they run in order). */
  shared: { slug?: string; token?: string };
  screenshot: (page: Page, name: string) => Promise<void>;
  log: (message: string) => void;
};

export type Journey = { name: string; run: (ctx: JourneyContext) => Promise<void> };

const SLUG = "acme";
const QUESTION = "Why do you want to join?";
const ANSWER = "I run the weekly raid nights.";
const ROLE_ROUTE = "PUT /guilds/{guild_id}/members/{user_id}/roles/{role_id}";
// Role assignment runs in the in-process job worker; the table polls every 2 s.
const SETTLE_MS = 30_000;

async function signIn(ctx: JourneyContext, as: "admin" | "applicant" = "admin"): Promise<Page> {
  const page = await ctx.context.newPage();
  await page.goto("/signin");
  await page.getByRole("link", { name: "Continue with Discord" }).click();
  await page.waitForURL(/\/oauth2\/authorize/);
  if (as === "applicant") await switchSandboxUser(page, WORLD_IDS.applicant);
  await page.getByRole("button", { name: "Authorize" }).click();
  await page.waitForURL((url) => url.pathname.startsWith("/dashboard"));
  return page;
}

/** The sandbox's consent page signs in as whoever `as=<user id>` names. */
async function switchSandboxUser(page: Page, userId: string): Promise<void> {
  const url = new URL(page.url());
  url.searchParams.set("as", userId);
  await page.goto(url.toString());
}

async function sandboxState(ctx: JourneyContext) {
  const response = await fetch(`${ctx.sandboxUrl}/_sandbox`);
  return (await response.json()) as {
    guilds: { id: string; roles: { id: string; name: string }[]; members: { userId: string; roleIds: string[] }[] }[];
  };
}

async function approvedRoleId(ctx: JourneyContext): Promise<string> {
  const guild = (await sandboxState(ctx)).guilds.find((g) => g.id === WORLD_IDS.guild);
  const role = guild?.roles.find((r) => r.name === "Approved");
  assert.ok(role, "the sandbox guild has an Approved role");
  return role.id;
}

function rowOf(page: Page, applicantName: string) {
  return page.locator("tbody tr", { hasText: applicantName });
}

/** The state on screen at 1280 and 390 px, light and dark: layout, reachability, axe, four screenshots. */
function snap(ctx: JourneyContext, page: Page, name: string): Promise<void> {
  return capture(page, name, ctx.screenshot, { baseUrl: ctx.baseUrl });
}

/** The element with focus is the control labelled `label`, and the message in words is shown. */
async function assertFocusedWithMessage(page: Page, label: string, message: string | RegExp): Promise<void> {
  const control = page.getByLabel(label, { exact: true });
  assert.ok(await control.evaluate((el) => el === document.activeElement), `focus is on "${label}"`);
  const described = await control.evaluate((el) =>
    (el.getAttribute("aria-describedby") ?? "")
      .split(" ")
      .map((id) => document.getElementById(id)?.textContent ?? "")
      .join(" "),
  );
  if (typeof message === "string")
    assert.ok(described.includes(message), `"${label}" is described by "${message}" (got "${described}")`);
  else assert.match(described, message);
  assert.doesNotMatch(
    described,
    /Invalid input|Too small|Too big|expected .* received|snowflake/i,
    "the message is words, not validator output",
  );
}

/** The bot's managed role in the sandbox guild: its permissions decide the health check's Manage Roles line. */
function botRole(ctx: JourneyContext) {
  const guild = ctx.sandbox.fake.model.guildOrThrow(WORLD_IDS.guild);
  const role = [...guild.roles.values()].find((r) => r.managed && r.botId);
  assert.ok(role, "the sandbox guild has the bot's role");
  return role;
}

/** Every dashboard navigation item lies fully inside the screen: reachable without scrolling sideways. */
async function assertNavOnScreen(page: Page, width: number): Promise<void> {
  const links = page.getByRole("navigation", { name: "Dashboard" }).getByRole("link");
  assert.ok((await links.count()) >= 5, "the owner sees all five navigation items");
  for (const link of await links.all()) {
    const box = await link.boundingBox();
    assert.ok(
      box && box.x >= 0 && box.x + box.width <= width + 1,
      `"${await link.textContent()}" is off-screen at ${width}px`,
    );
  }
}

/** The open tooltip is not clipped: its four corners are the tooltip itself, not what lies under or around it. */
async function assertTooltipUnclipped(tooltip: Locator): Promise<void> {
  const hits = await tooltip.evaluate((el) => {
    const r = el.getBoundingClientRect();
    const corners: [number, number][] = [
      [r.left + 3, r.top + 3],
      [r.right - 3, r.top + 3],
      [r.left + 3, r.bottom - 3],
      [r.right - 3, r.bottom - 3],
    ];
    return corners.map(([x, y]) => el.contains(document.elementFromPoint(x, y)));
  });
  assert.deepEqual(hits, [true, true, true, true], "every corner of the failure reason is visible");
}

export const JOURNEYS: Journey[] = [
  {
    name: "1 sign in, create an organization, connect the bot",
    async run(ctx) {
      const page = await ctx.context.newPage();
      // People type /login: it leads to the sign-in page.
      await page.goto("/login");
      await page.waitForURL((url) => url.pathname === "/signin");
      await page.goto("/dashboard");
      await page.waitForURL(/\/signin\?next=/);
      await snap(ctx, page, "signin");
      await page.getByRole("link", { name: "Continue with Discord" }).click();
      await page.waitForURL(/\/oauth2\/authorize/);
      await ctx.screenshot(page, "discord-consent");
      await page.getByRole("button", { name: "Authorize" }).click();
      await page.waitForURL((url) => url.pathname === "/dashboard");
      await page.getByText("Demo Admin").first().waitFor();
      await snap(ctx, page, "organizations");

      await page.getByLabel("Organization name").fill("Acme Guild");
      await page.getByLabel("URL name (optional)").fill(SLUG);
      await page.getByRole("button", { name: "Create organization" }).click();
      await page.waitForURL(`**/dashboard/${SLUG}/settings`);
      await snap(ctx, page, "settings-disconnected");

      await page.getByRole("link", { name: "Connect Discord Bot" }).click();
      await page.waitForURL(/\/oauth2\/authorize/);
      await page.locator("select#guild_id").selectOption(WORLD_IDS.guild);
      await ctx.screenshot(page, "discord-bot-consent");
      await page.getByRole("button", { name: "Authorize" }).click();
      await page.waitForURL(`**/dashboard/${SLUG}/settings?success=bot_connected`);
      await page.getByText("The bot is connected").waitFor();
      await page
        .getByRole("status")
        .filter({ hasText: /^\W*Connected$/ })
        .waitFor();
      await page.getByText("Demo Guild").first().waitFor();
      await page.getByText("Everything works").waitFor();
      // Bring your own bot says to disconnect first, before asking for any secret.
      await page.getByText("Disconnect the bot first").waitFor();
      assert.equal(
        await page.getByLabel("Bot token").count(),
        0,
        "no secret fields while Guildgate's bot is connected",
      );
      await snap(ctx, page, "settings-connected");

      // The question applicants will answer in journey 2; each mistake is explained and focused first.
      await page.getByRole("button", { name: "Add a question" }).click();
      await page.getByRole("button", { name: "Save question" }).click();
      await assertFocusedWithMessage(page, "Question", "Write the question applicants should answer.");
      await page.getByLabel("Question", { exact: true }).fill("Your favourite class?");
      await page.getByLabel("Answer type").selectOption("SINGLE_CHOICE");
      await page.getByLabel("Choices").fill("Mage");
      await page.getByRole("button", { name: "Save question" }).click();
      await assertFocusedWithMessage(page, "Choices", "Add at least two choices, one per line (now 1).");
      await snap(ctx, page, "question-editor-invalid");
      await page.getByLabel("Answer type").selectOption("SHORT_TEXT");
      await page.getByLabel("Question", { exact: true }).fill(QUESTION);
      await page.getByText(`${QUESTION.length} of 200 characters`).waitFor();
      await page.getByRole("button", { name: "Save question" }).click();
      await page.getByText(QUESTION).waitFor();

      // What the server says when a form is bypassed is words too (the route wrapper's details).
      const refused = (await page.evaluate(
        `fetch("/api/orgs/${SLUG}/questions", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ kind: "SINGLE_CHOICE", label: "x", options: ["a"] }) }).then((r) => r.json())`,
      )) as { error: { details: { message: string }[] } };
      ctx.log(`server words: ${JSON.stringify(refused.error.details)}`);
      assert.equal(refused.error.details[0]?.message, "Give at least 2 entries.");

      // Members: a name instead of an id is explained; the only owner cannot be removed or demoted.
      await page.getByLabel("Discord user id").fill("bob");
      await page.getByRole("button", { name: "Add member" }).click();
      await assertFocusedWithMessage(page, "Discord user id", /looks like a name.*17 to 20 digits/);
      const owner = page.locator("tbody tr", { hasText: "Demo Admin" });
      await owner.getByText(/the only owner/).waitFor();
      assert.equal(await owner.getByRole("button").count(), 0, "no Remove/Leave for the last owner");
      assert.equal(await owner.getByRole("combobox").count(), 0, "no role picker for the last owner");
      await snap(ctx, page, "members-invalid-id");
      ctx.shared.slug = SLUG;
    },
  },
  {
    name: "2 apply as another Discord user, approve, role assigned in Discord",
    async run(ctx) {
      const applicant = await ctx.context.newPage();
      await applicant.goto("/apply/no-such-community");
      await applicant.getByRole("heading", { name: "No application page here" }).waitFor();
      await snap(ctx, applicant, "apply-not-found");
      await applicant.goto(`/apply/${SLUG}`);
      // A link pasted in Discord previews with the server's name.
      assert.equal(await applicant.title(), "Apply to join Demo Guild · Guildgate");
      assert.equal(
        await applicant.locator('meta[property="og:title"]').getAttribute("content"),
        "Apply to join Demo Guild",
      );
      assert.match(
        (await applicant.locator('meta[property="og:description"]').getAttribute("content")) ?? "",
        /Demo Guild Discord server/,
      );
      assert.equal(
        await applicant.locator('meta[property="og:url"]').getAttribute("content"),
        `${ctx.baseUrl}/apply/${SLUG}`,
      );
      await snap(ctx, applicant, "apply-signed-out");
      await applicant.getByRole("link", { name: "Apply with Discord" }).click();
      await applicant.waitForURL(/\/oauth2\/authorize/);
      await switchSandboxUser(applicant, WORLD_IDS.applicant);
      await applicant.getByRole("button", { name: "Authorize" }).click();
      await applicant.waitForURL(`**/apply/${SLUG}**`);
      await applicant.getByText("Alex Applicant").first().waitFor();
      // Sent empty: focus on the unanswered question, the limit shown before it is reached.
      await applicant.getByText("0 of 200 characters").waitFor();
      await applicant.getByRole("button", { name: "Send application" }).click();
      await assertFocusedWithMessage(applicant, `${QUESTION} (required)`, "Answer this question: it is required.");
      await snap(ctx, applicant, "apply-form-invalid");
      await applicant.getByLabel(QUESTION).fill(ANSWER);
      await applicant.getByText(`${ANSWER.length} of 200 characters`).waitFor();
      await snap(ctx, applicant, "apply-form");
      await applicant.getByRole("button", { name: "Send application" }).click();
      await applicant.getByRole("status").filter({ hasText: "waiting for review" }).waitFor();
      await snap(ctx, applicant, "apply-submitted");
      await applicant.close();

      // The admin, in a fresh context: its own sign-in.
      await ctx.context.clearCookies();
      const admin = await signIn(ctx);
      // The overview: the full link to share, with Copy; the submission credited to the applicant, in words.
      await admin.goto(`/dashboard/${SLUG}`);
      const link = admin.getByTestId("copy-value");
      assert.equal((await link.textContent())?.trim(), `${ctx.baseUrl}/apply/${SLUG}`);
      await admin.getByRole("button", { name: "Copy application page link" }).click();
      await admin.getByRole("button", { name: "Copied application page link" }).waitFor();
      assert.equal(await admin.evaluate(() => navigator.clipboard.readText()), `${ctx.baseUrl}/apply/${SLUG}`);
      const activity = admin.getByRole("region", { name: "Recent activity" });
      await activity.getByText("Application from Alex Applicant").waitFor();
      await activity
        .getByText(/Alex Applicant \(applicant\)/)
        .first()
        .waitFor();
      assert.doesNotMatch(
        (await activity.textContent()) ?? "",
        /bot\.|application\.|member\.|Guildgate ·/,
        "recent activity in words",
      );
      assert.equal(await admin.title(), `Overview · Acme Guild · Guildgate`);
      await snap(ctx, admin, "overview");

      await admin.goto(`/dashboard/${SLUG}/applications`);
      assert.equal(await admin.title(), `Applications · Acme Guild · Guildgate`);
      const row = rowOf(admin, "Alex Applicant");
      await row.getByText("Pending").waitFor();
      await snap(ctx, admin, "applications-pending");
      await admin.getByRole("button", { name: "Approve Alex Applicant" }).click();
      await row.getByText("Approved – Role assigned").waitFor({ timeout: SETTLE_MS });
      await snap(ctx, admin, "applications-role-assigned");

      const roleId = await approvedRoleId(ctx);
      const guild = (await sandboxState(ctx)).guilds.find((g) => g.id === WORLD_IDS.guild)!;
      const member = guild.members.find((m) => m.userId === WORLD_IDS.applicant);
      assert.ok(member?.roleIds.includes(roleId), "the sandbox shows the applicant with the Approved role");

      await row.getByRole("link", { name: "Alex Applicant" }).click();
      await admin.getByRole("heading", { name: "Timeline" }).waitFor();
      await admin.getByText(ANSWER).waitFor();
      await snap(ctx, admin, "application-detail");
    },
  },
  {
    name: "3 missing permissions: failed badge with the fix, clear the fault, Retry (1/5), role assigned",
    async run(ctx) {
      const org = await ctx.db.organization.findUniqueOrThrow({ where: { slug: SLUG } });
      // A second applicant who is in the guild: joined in the sandbox, application stored directly.
      await fetch(`${ctx.sandboxUrl}/_sandbox/guilds/${WORLD_IDS.guild}/members`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ userId: WORLD_IDS.outsider }),
      });
      await ctx.db.application.create({
        data: {
          organizationId: org.id,
          applicantDiscordId: WORLD_IDS.outsider,
          applicantName: "Olive Outsider",
          answers: [],
        },
      });
      const fault = await fetch(`${ctx.sandboxUrl}/_sandbox/faults`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          route: ROLE_ROUTE,
          status: 403,
          code: 50013,
          message: "Missing Permissions",
          times: 10,
        }),
      });
      assert.equal(fault.status, 201);

      // A third application still pending: the list mixes Approve/Reject, Retry and settled rows.
      await ctx.db.application.create({
        data: {
          organizationId: org.id,
          applicantDiscordId: "80351110224678912",
          applicantName: "Pat Pending-With-A-Rather-Long-Name",
          answers: [],
        },
      });

      const page = await signIn(ctx);
      // The overview tells the truth about the bot: without Manage Roles it is not a green "Connected".
      const role = botRole(ctx);
      const permissions = role.permissions;
      role.permissions = 0n;
      try {
        // Health answers are kept 30 s per process (one Discord check per page load and its refreshes): reload
        // until the answer read before the permission changed has expired.
        const deadline = Date.now() + 45_000;
        for (;;) {
          await page.goto(`/dashboard/${SLUG}`);
          const shown = await page
            .getByText("Connected, needs a fix")
            .waitFor({ timeout: 5_000 })
            .then(
              () => true,
              () => false,
            );
          if (shown || Date.now() > deadline) break;
          await page.waitForTimeout(3_000);
        }
        await page.getByText("Connected, needs a fix").waitFor();
        await page.getByText("The bot does not have the Manage Roles permission.").waitFor();
        await snap(ctx, page, "overview-health-problem");
      } finally {
        role.permissions = permissions;
      }

      await page.goto(`/dashboard/${SLUG}/applications`);
      const row = rowOf(page, "Olive Outsider");
      await page.getByRole("button", { name: "Approve Olive Outsider" }).click();
      const failed = row.getByText("Approved – Role assignment failed");
      await failed.waitFor({ timeout: SETTLE_MS });
      // Mixed statuses at 1280 and on a phone: every action inside the screen and the table's box.
      await snap(ctx, page, "applications-mixed");
      const trigger = row.getByRole("button", { name: "Approved – Role assignment failed" });
      await trigger.focus();
      const tooltip = row.getByRole("tooltip");
      await tooltip.waitFor({ state: "visible" });
      const reason = (await tooltip.textContent()) ?? "";
      ctx.log(`failure reason shown: ${reason}`);
      assert.match(reason, /above/i, "the fix says to move the bot's role above the approved role");
      await ctx.screenshot(page, "role-failed-with-fix");
      await assertTooltipUnclipped(tooltip);

      // The failed row as the last (only) row of its filter, on a phone: the reason still shows in full.
      await page.setViewportSize({ width: 390, height: 844 });
      await page.getByRole("link", { name: "Role failed" }).click();
      await page.waitForURL(/status=APPROVED_ROLE_FAILED/);
      // A tap, not hover or focus, opens the reason and keeps it open.
      await trigger.click();
      await tooltip.waitFor({ state: "visible" });
      assert.equal(await trigger.getAttribute("aria-expanded"), "true");
      await assertTooltipUnclipped(tooltip);
      await assertLayout(page, "failed row on a phone");
      await ctx.screenshot(page, "role-failed-last-row-phone");
      await page.setViewportSize({ width: 1280, height: 860 });
      await page.getByRole("link", { name: "All", exact: true }).click();
      await page.waitForURL((url) => !url.search.includes("status="));

      await fetch(`${ctx.sandboxUrl}/_sandbox/faults`, { method: "DELETE" });
      await row.getByRole("button", { name: /attempt 1 of 5/ }).click();
      await row.getByText("Approved – Role assigned").waitFor({ timeout: SETTLE_MS });
      await snap(ctx, page, "role-assigned-after-retry");
    },
  },
  {
    name: "4 a tampered state in the bot callback shows the invalid-state message",
    async run(ctx) {
      const page = await signIn(ctx);
      await page.goto(`/api/discord/bot-connect?org=${SLUG}`);
      await page.waitForURL(/\/oauth2\/authorize/);
      const authorize = new URL(page.url());
      const state = authorize.searchParams.get("state");
      assert.ok(state, "bot-connect sends a state");
      // One changed character in the signature.
      const last = state.at(-1) === "A" ? "B" : "A";
      const tampered = `${state.slice(0, -1)}${last}`;
      const callback = new URL("/api/discord/bot-callback", ctx.baseUrl);
      callback.searchParams.set("code", "sandbox-code");
      callback.searchParams.set("state", tampered);
      callback.searchParams.set("guild_id", WORLD_IDS.guild);
      callback.searchParams.set("permissions", "268436480");
      await page.goto(callback.toString());
      await page.waitForURL(/error=invalid_state/);
      await page.getByRole("alert").filter({ hasText: "The connection link was not valid" }).waitFor();
      await snap(ctx, page, "invalid-state");
      const connection = await ctx.db.discordConnection.findFirst({ where: { organization: { slug: SLUG } } });
      assert.equal(connection?.state, "CONNECTED", "the tampered callback changed nothing");
    },
  },
  {
    name: "5 API token: create, copy, assign a role with it, revoke, refused",
    async run(ctx) {
      const page = await signIn(ctx);
      await page.goto(`/dashboard/${SLUG}/tokens`);
      const scope = (name: string) => page.getByRole("checkbox", { name: new RegExp(name) });
      // Without a name: focus on Name, said in words.
      await page.getByRole("button", { name: "Create token" }).click();
      await assertFocusedWithMessage(page, "Name", /Give the token a name/);
      await snap(ctx, page, "token-form-invalid");
      await page.getByLabel("Name").fill("E2E assign-role");
      await scope("applications:write").check();
      await page.getByRole("button", { name: "Create token" }).click();
      const shown = page.getByTestId("new-token");
      await shown.waitFor();
      const token = ((await shown.textContent()) ?? "").trim();
      assert.match(token, /^ggt_/);
      // The form starts over: the next token does not silently inherit applications:write.
      assert.equal(await page.getByLabel("Name").inputValue(), "");
      assert.equal(await scope("applications:write").isChecked(), false, "scopes reset after creating");
      assert.equal(await scope("roles:assign").isChecked(), true, "the default scope is back");
      assert.equal(await scope("applications:read").isChecked(), false);
      await page.getByRole("button", { name: "Copy" }).click();
      await page.getByRole("button", { name: "Copied" }).waitFor();
      const copied = await page.evaluate(() => navigator.clipboard.readText());
      assert.equal(copied, token, "the clipboard holds the token");
      await snap(ctx, page, "token-created");

      const call = () =>
        fetch(`${ctx.baseUrl}/api/discord/assign-role`, {
          method: "POST",
          headers: { authorization: `Bearer ${copied}`, "content-type": "application/json" },
          body: JSON.stringify({ guild_id: WORLD_IDS.guild, user_id: WORLD_IDS.applicant, role_id: "" }),
        });
      const roleId = await approvedRoleId(ctx);
      const assign = () =>
        fetch(`${ctx.baseUrl}/api/discord/assign-role`, {
          method: "POST",
          headers: { authorization: `Bearer ${copied}`, "content-type": "application/json" },
          body: JSON.stringify({ guild_id: WORLD_IDS.guild, user_id: WORLD_IDS.applicant, role_id: roleId }),
        });
      assert.equal((await call()).status, 400, "a bad role id is a 400, not a 500");
      const ok = await assign();
      assert.equal(ok.status, 200, `assign-role answered ${ok.status}: ${await ok.clone().text()}`);

      await page.getByRole("button", { name: "Revoke E2E assign-role" }).click();
      await page.getByRole("dialog").getByRole("button", { name: "Revoke token" }).click();
      await page.locator("tbody tr", { hasText: "E2E assign-role" }).getByText("Revoked").waitFor();
      await snap(ctx, page, "token-revoked");
      assert.equal((await assign()).status, 401, "a revoked token is refused");
    },
  },
  {
    name: "6 visual tour: every page on a phone and in the dark theme",
    async run(ctx) {
      const pages = ["", "/applications", "/settings", "/tokens", "/audit"].map((p) => `/dashboard/${SLUG}${p}`);
      const page = await signIn(ctx);
      for (const path of [...pages, "/dashboard", "/signin?error=invalid_state", `/apply/${SLUG}`, "/"]) {
        await page.goto(path);
        await page.waitForLoadState("networkidle");
        await snap(ctx, page, path.replace(/[^a-z0-9]+/gi, "-").replace(/^-|-$/g, "") || "home");
        if (pages.includes(path)) {
          await page.setViewportSize({ width: 390, height: 844 });
          await assertNavOnScreen(page, 390);
          await page.setViewportSize({ width: 1280, height: 860 });
        }
      }
      // The audit filter names actions in words.
      await page.goto(`/dashboard/${SLUG}/audit`);
      const actions = await page.getByLabel("Action").locator("option").allTextContents();
      assert.ok(
        actions.includes("Application submitted") && actions.includes("Bot connected"),
        `audit actions in words: ${actions.join(", ")}`,
      );
      assert.ok(
        !actions.some((a) => /^[a-z_]+\.[a-z_]+$/.test(a)),
        `no raw keys in the audit filter: ${actions.join(", ")}`,
      );

      // A non-member (or a missing organization) gets the same 404 page: existence is not revealed.
      await page.goto("/dashboard/no-such-org");
      await page.getByRole("heading", { name: "Nothing here" }).waitFor();
      await snap(ctx, page, "not-found");

      // Sign out through the session store: the server session ends, the dashboard asks to sign in again.
      await page.setViewportSize({ width: 1280, height: 860 });
      await page.goto(`/dashboard/${SLUG}`);
      await page.getByRole("button", { name: "Sign out" }).click();
      await page.waitForURL((url) => url.pathname === "/signin");
      await page.goto(`/dashboard/${SLUG}`);
      await page.waitForURL(/\/signin\?next=/);
    },
  },
  formsJourney,
  applicantsJourney,

  reviewJourney,
];
