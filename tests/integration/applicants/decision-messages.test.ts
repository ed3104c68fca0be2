// Decisions with reasons and the messages applicants get (issue 14), against the real database, a real
// graphile-worker runner and the Discord fake: the reason through the route, stored and audited, the DM from the
// organization's template, DMs closed (the decision stands, the non-delivery is recorded), retries for 5xx, rate
// limits as waits, the log channel, and bulk reject with one reason.
import type { Runner } from "graphile-worker";
import { afterEach, describe, expect, it } from "vitest";
import { POST as bulkRoute } from "@/app/api/orgs/[slug]/applications/bulk/route";
import { POST as rejectRoute } from "@/app/api/orgs/[slug]/applications/[applicationId]/reject/route";
import { POST as approveRoute } from "@/app/api/orgs/[slug]/applications/[applicationId]/approve/route";
import { PUT as settingsRoute } from "@/app/api/orgs/[slug]/applicant-settings/route";
import { db } from "@/lib/db";
import { MESSAGE_FAILURES } from "@/lib/notifications/failures";
import { PERMISSIONS, useDiscordFake, WORLD_IDS } from "~tests/fakes/discord";
import { createApplication, listJobs, waitFor } from "~tests/helpers/applications";
import { dashboardRequest, paramsOf } from "~tests/helpers/auth";
import { createOrgOnDemoGuild } from "~tests/helpers/discord";
import { startTestRunner } from "~tests/helpers/job-runner";

const discord = useDiscordFake();
const DM = "POST /users/@me/channels";
const SEND = "POST /channels/{channel_id}/messages";

let runner: Runner | undefined;
afterEach(async () => {
  await runner?.stop();
  runner = undefined;
});

type ErrorBody = { error: { code: string; message: string } };

/** An organization on the fake's guild (platform bot), with an ADMIN signed in and a pending application. */
async function setup() {
  const { organization, cookie } = await createOrgOnDemoGuild({
    role: "ADMIN",
    orgName: "Acme",
    memberName: "Rita Reviewer",
  });
  const app = await createApplication({ organizationId: organization.id, applicantDiscordId: WORLD_IDS.applicant });
  await db.application.update({ where: { id: app.id }, data: { applicantName: "Alex Applicant" } });
  return { organization, slug: organization.slug, cookie, app };
}

async function saveSettings(slug: string, cookie: string, body: Record<string, unknown>) {
  const response = await settingsRoute(
    dashboardRequest("PUT", `/api/orgs/${slug}/applicant-settings`, { cookie, body }),
    paramsOf({ slug }),
  );
  expect(response.status, await response.clone().text()).toBe(200);
}

function reject(slug: string, cookie: string, applicationId: string, body?: unknown) {
  return rejectRoute(
    dashboardRequest("POST", `/api/orgs/${slug}/applications/${applicationId}/reject`, { cookie, body }),
    paramsOf({ slug, applicationId }),
  );
}

const messageOf =
  (applicationId: string, target = "dm") =>
  () =>
    db.applicantMessage.findFirst({ where: { applicationId, target } });
const settled = (m: { status: string } | null) => m !== null && m.status !== "PENDING";

describe("reject with a reason", () => {
  it("stores and audits the reason, and DMs the applicant the organization's template filled in", async () => {
    const { slug, cookie, app } = await setup();
    await saveSettings(slug, cookie, {
      rejectTemplate: "Sorry {applicant}: {server} ({form}) says no. Why: {reason} @everyone",
    });
    const response = await reject(slug, cookie, app.id, { reason: "  Not enough detail in your answers  " });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { application: { status: string; rejection: { reason: string } } };
    expect(body.application).toMatchObject({
      status: "REJECTED",
      rejection: { reason: "Not enough detail in your answers" },
    });
    const stored = await db.application.findUniqueOrThrow({ where: { id: app.id } });
    expect(stored.rejectReason).toBe("Not enough detail in your answers");
    const audit = await db.auditEvent.findFirstOrThrow({ where: { targetId: app.id, action: "application.reject" } });
    expect(audit.metadata).toMatchObject({ reason: "Not enough detail in your answers" });
    // The message and its job were written with the decision.
    expect((await listJobs({ messages: true })).map((j) => j.task)).toContain("notify-applicant");

    runner = await startTestRunner();
    const message = await waitFor(messageOf(app.id), settled);
    const expected =
      "Sorry Alex Applicant: Demo Guild (Application) says no. Why: Not enough detail in your answers @\u200beveryone";
    expect(message).toMatchObject({ status: "SENT", event: "rejected", content: expected, attempts: 1 });
    const dms = discord.model.dmsTo(WORLD_IDS.applicant);
    expect(dms.map((m) => m.content)).toEqual([expected]);
    // Plain text that pings nobody, whatever the template says.
    const sent = JSON.parse(discord.requests(SEND)[0]!.body) as { allowed_mentions: unknown };
    expect(sent.allowed_mentions).toEqual({ parse: [] });
    expect(await db.auditEvent.count({ where: { targetId: app.id, action: "application.message_sent" } })).toBe(1);
  });

  it("a required reason: 400 reject_reason_required, nothing changes and nothing is sent", async () => {
    const { slug, cookie, app } = await setup();
    await saveSettings(slug, cookie, { rejectReasonRequired: true });
    for (const body of [undefined, {}, { reason: "   " }]) {
      const response = await reject(slug, cookie, app.id, body);
      expect(response.status).toBe(400);
      expect(((await response.json()) as ErrorBody).error.code).toBe("reject_reason_required");
    }
    expect(await db.application.findUniqueOrThrow({ where: { id: app.id } })).toMatchObject({
      status: "PENDING",
      rejectReason: null,
      version: app.version,
    });
    expect(await db.applicantMessage.count()).toBe(0);
    expect(await listJobs({ messages: true })).toEqual([]);
    expect((await reject(slug, cookie, app.id, { reason: "Closed" })).status).toBe(200);
  });

  it("bulk reject takes one reason for every application", async () => {
    const { organization, slug, cookie, app } = await setup();
    const second = await createApplication({ organizationId: organization.id, applicantDiscordId: WORLD_IDS.outsider });
    const response = await bulkRoute(
      dashboardRequest("POST", `/api/orgs/${slug}/applications/bulk`, {
        cookie,
        body: { action: "reject", applicationIds: [app.id, second.id], reason: "Full for this season" },
      }),
      paramsOf({ slug }),
    );
    expect(response.status).toBe(200);
    const rows = await db.application.findMany({ where: { id: { in: [app.id, second.id] } } });
    expect(rows.map((r) => [r.status, r.rejectReason])).toEqual([
      ["REJECTED", "Full for this season"],
      ["REJECTED", "Full for this season"],
    ]);
  });
});

describe("when the DM cannot be delivered", () => {
  it("DMs closed (50007): the decision stands, the message is recorded as not delivered, once", async () => {
    const { slug, cookie, app } = await setup();
    discord.model.setDmsClosed(WORLD_IDS.applicant, true);
    runner = await startTestRunner();
    expect((await reject(slug, cookie, app.id, { reason: "No" })).status).toBe(200);
    const message = await waitFor(messageOf(app.id), settled);
    expect(message).toMatchObject({
      status: "NOT_DELIVERED",
      errorCode: "dms_closed",
      errorMessage: MESSAGE_FAILURES.dms_closed,
      attempts: 1,
    });
    expect(MESSAGE_FAILURES.dms_closed).toMatch(/^Not delivered: the applicant's DMs are closed/);
    expect(await db.application.findUniqueOrThrow({ where: { id: app.id } })).toMatchObject({ status: "REJECTED" });
    expect(discord.countRequests(SEND)).toBe(1); // a permanent refusal is not retried
    const audit = await db.auditEvent.findFirstOrThrow({
      where: { targetId: app.id, action: "application.message_not_delivered" },
    });
    expect(audit).toMatchObject({ outcome: "FAILED", metadata: expect.objectContaining({ code: "dms_closed" }) });
  });

  it("an approval with DMs closed still gives the role; only the message is not delivered", async () => {
    const { slug, cookie, app } = await setup();
    discord.model.setDmsClosed(WORLD_IDS.applicant, true);
    runner = await startTestRunner();
    const response = await approveRoute(
      dashboardRequest("POST", `/api/orgs/${slug}/applications/${app.id}/approve`, { cookie }),
      paramsOf({ slug, applicationId: app.id }),
    );
    expect(response.status).toBe(200);
    await waitFor(
      () => db.application.findUniqueOrThrow({ where: { id: app.id } }),
      (a) => a.status === "APPROVED_ROLE_ASSIGNED",
    );
    expect(await waitFor(messageOf(app.id), settled)).toMatchObject({ status: "NOT_DELIVERED", event: "approved" });
  });

  it("5xx is retried with backoff until it goes through", async () => {
    const { slug, cookie, app } = await setup();
    // The REST client itself retries a 5xx twice within one attempt: four 502s fail the first attempt only.
    discord.injectFault({ route: SEND, status: 502, times: 4 });
    runner = await startTestRunner();
    expect((await reject(slug, cookie, app.id, {})).status).toBe(200);
    const message = await waitFor(messageOf(app.id), settled, 20_000);
    expect(message).toMatchObject({ status: "SENT", attempts: 2, errorCode: null });
    expect(discord.model.dmsTo(WORLD_IDS.applicant)).toHaveLength(1);
  });

  it("a rate limit is a wait, not an attempt: with one attempt allowed, a 429 still ends SENT", async () => {
    const { slug, cookie, app } = await setup();
    // Longer than the client waits by itself (5 s), so the job sees it and comes back after it.
    discord.injectFault({ route: DM, status: 429, retryAfter: 5.5, times: 1 });
    runner = await startTestRunner({ notifications: { maxAttempts: 1 } });
    expect((await reject(slug, cookie, app.id, {})).status).toBe(200);
    // After the refused call: still PENDING with the attempt given back (counted, it would be FAILED at once).
    await waitFor(
      () => db.applicantMessage.findFirstOrThrow({ where: { applicationId: app.id } }),
      (m) => discord.countRequests(DM) === 1 && m.status === "PENDING" && m.attempts === 0,
    );
    const message = await waitFor(messageOf(app.id), settled, 25_000);
    expect(message).toMatchObject({ status: "SENT", attempts: 1 });
  }, 40_000);

  it("5xx through every attempt: FAILED with the reason in words; the decision stands", async () => {
    const { slug, cookie, app } = await setup();
    discord.injectFault({ route: SEND, status: 500, times: 100 });
    runner = await startTestRunner({ notifications: { maxAttempts: 3 } });
    expect((await reject(slug, cookie, app.id, {})).status).toBe(200);
    const message = await waitFor(messageOf(app.id), settled, 20_000);
    expect(message).toMatchObject({
      status: "FAILED",
      attempts: 3,
      errorMessage: MESSAGE_FAILURES.discord_unavailable,
    });
    expect(await db.application.findUniqueOrThrow({ where: { id: app.id } })).toMatchObject({ status: "REJECTED" });
  });
});

describe("the log channel", () => {
  it("posts the decision there when the bot may; a channel it may not write to is recorded, the DM still goes", async () => {
    const { slug, cookie, app, organization } = await setup();
    await saveSettings(slug, cookie, { logChannelId: WORLD_IDS.generalChannel, dmOnReject: true });
    runner = await startTestRunner();
    // Nobody may write in #general: neither @everyone nor the bot's role has Send Messages.
    discord.world.guild.roles.get(WORLD_IDS.guild)!.permissions = PERMISSIONS.VIEW_CHANNEL;
    expect((await reject(slug, cookie, app.id, { reason: "Spam" })).status).toBe(200);
    expect(await waitFor(messageOf(app.id, "log"), settled)).toMatchObject({
      status: "NOT_DELIVERED",
      errorCode: "missing_permissions",
    });
    expect(await waitFor(messageOf(app.id, "dm"), settled)).toMatchObject({ status: "SENT" });

    discord.world.roles.bot.permissions =
      PERMISSIONS.MANAGE_ROLES | PERMISSIONS.VIEW_CHANNEL | PERMISSIONS.SEND_MESSAGES;
    const next = await createApplication({ organizationId: organization.id, applicantDiscordId: WORLD_IDS.outsider });
    await db.application.update({ where: { id: next.id }, data: { applicantName: "Olive" } });
    expect((await reject(slug, cookie, next.id, { reason: "Too late" })).status).toBe(200);
    expect(await waitFor(messageOf(next.id, "log"), settled)).toMatchObject({ status: "SENT" });
    const posted = discord.model.channelMessages(WORLD_IDS.generalChannel).map((m) => m.content);
    expect(posted).toEqual(["Application of Olive (Application) rejected by Rita Reviewer. Reason: Too late"]);
    // Olive shares no guild with the bot: her DM is refused with 50007 like closed DMs.
    expect(await waitFor(messageOf(next.id, "dm"), settled)).toMatchObject({
      status: "NOT_DELIVERED",
      errorCode: "dms_closed",
    });
  });
});
