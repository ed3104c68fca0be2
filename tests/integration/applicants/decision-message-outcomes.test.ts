// Messages around a decision follow what happened (issue 24 item 4), against the real database, a real
// graphile-worker runner and the Discord fake: the approval's welcome waits for the role (a failed role gets one
// "approved, your role follows" message instead, and the welcome follows the retry that assigns it), a revocation
// DMs its reason and the status page shows it, and a failed message can be resent once. Each holds when a job runs
// again after a crash.
import type { Runner } from "graphile-worker";
import { afterEach, describe, expect, it } from "vitest";
import { GET as listOwn } from "@/app/api/apply/[slug]/applications/route";
import { PUT as settingsRoute } from "@/app/api/orgs/[slug]/applicant-settings/route";
import { POST as approveRoute } from "@/app/api/orgs/[slug]/applications/[applicationId]/approve/route";
import { POST as resendRoute } from "@/app/api/orgs/[slug]/applications/[applicationId]/messages/[messageId]/resend/route";
import { POST as rejectRoute } from "@/app/api/orgs/[slug]/applications/[applicationId]/reject/route";
import { POST as retryRoute } from "@/app/api/orgs/[slug]/applications/[applicationId]/retry/route";
import { POST as revokeRoute } from "@/app/api/orgs/[slug]/applications/[applicationId]/revoke/route";
import { startApplicantSession } from "@/lib/applicants/session";
import { runAssignRole } from "@/lib/applications/role-jobs/assign-role-task";
import { db } from "@/lib/db";
import type { MessageSender } from "@/lib/notifications/sender";
import { runNotifyApplicant } from "@/lib/notifications/task";
import { DEFAULT_TEMPLATES, renderRoleDelayed } from "@/lib/notifications/templates";
import { useDiscordFake, WORLD_IDS } from "~tests/fakes/discord";
import { createApplication, listJobs, waitFor } from "~tests/helpers/applications";
import { createTestOrganization, dashboardRequest, paramsOf, TEST_ORIGIN } from "~tests/helpers/auth";
import { createOrgOnDemoGuild } from "~tests/helpers/discord";
import { startTestRunner, testNotificationSettings, testRoleSettings } from "~tests/helpers/job-runner";

const discord = useDiscordFake();
const ROLE_PUT = "PUT /guilds/{guild_id}/members/{user_id}/roles/{role_id}";
const SEND = "POST /channels/{channel_id}/messages";

let runner: Runner | undefined;
afterEach(async () => {
  await runner?.stop();
  runner = undefined;
});

/** An organization on the fake's guild (platform bot), an ADMIN signed in, and a pending application of Alex. */
async function setup() {
  const { organization, user, cookie } = await createOrgOnDemoGuild({
    role: "ADMIN",
    orgName: "Acme",
    memberName: "Rita Reviewer",
  });
  const app = await createApplication({ organizationId: organization.id, applicantDiscordId: WORLD_IDS.applicant });
  await db.application.update({ where: { id: app.id }, data: { applicantName: "Alex Applicant" } });
  return { organization, slug: organization.slug, cookie, app, userId: user.id };
}

type Ctx = Awaited<ReturnType<typeof setup>>;

const post = (
  handler: (request: Request, context: { params: Promise<never> }) => Promise<Response>,
  ctx: Ctx,
  suffix: string,
  body?: unknown,
  params: Record<string, string> = {},
) =>
  handler(
    dashboardRequest("POST", `/api/orgs/${ctx.slug}/applications/${ctx.app.id}${suffix}`, { cookie: ctx.cookie, body }),
    paramsOf({ slug: ctx.slug, applicationId: ctx.app.id, ...params }) as never,
  );

const statusOf = (id: string) => db.application.findUniqueOrThrow({ where: { id } });
const messageOf = (applicationId: string, event: string, target = "dm") =>
  db.applicantMessage.findFirst({ where: { applicationId, event, target } });
const settled = (m: { status: string } | null) => m !== null && m.status !== "PENDING" && m.status !== "HELD";
const dmTexts = () => discord.model.dmsTo(WORLD_IDS.applicant).map((m) => m.content);
const WELCOME = "Hi Alex Applicant! Your application to Demo Guild (Application) was approved.";

describe("the approval's welcome waits for the role", () => {
  it("a role that fails: no welcome, one 'your role follows' DM; the retry that assigns it sends exactly one welcome", async () => {
    const ctx = await setup();
    discord.injectFault({ route: ROLE_PUT, status: 403, code: 50013, times: 1 });
    runner = await startTestRunner();
    expect((await post(approveRoute, ctx, "/approve")).status).toBe(200);
    // Written with the decision, but held: no job until the role is there.
    expect(await messageOf(ctx.app.id, "approved")).toMatchObject({ status: "HELD" });
    await waitFor(
      () => statusOf(ctx.app.id),
      (a) => a.status === "APPROVED_ROLE_FAILED",
    );
    const delayed = await waitFor(() => messageOf(ctx.app.id, "role_delayed"), settled);
    const delayedText = renderRoleDelayed({
      values: { applicant: "Alex Applicant", server: "Demo Guild", form: "Application" },
      inviteUrl: null,
    });
    expect(delayed).toMatchObject({ status: "SENT", content: delayedText });
    expect(await messageOf(ctx.app.id, "approved")).toMatchObject({ status: "HELD", attempts: 0 });
    expect(dmTexts()).toEqual([delayedText]);

    expect((await post(retryRoute, ctx, "/retry")).status).toBe(200);
    await waitFor(
      () => statusOf(ctx.app.id),
      (a) => a.status === "APPROVED_ROLE_ASSIGNED",
    );
    const welcome = await waitFor(() => messageOf(ctx.app.id, "approved"), settled);
    expect(welcome).toMatchObject({ status: "SENT", attempts: 1 });
    expect(welcome!.content.startsWith(WELCOME)).toBe(true);
    expect(dmTexts()).toEqual([delayedText, welcome!.content]);
    // One row per message, and no job left to send another.
    expect(await db.applicantMessage.count({ where: { applicationId: ctx.app.id } })).toBe(2);
    await waitFor(listJobs.bind(null, { messages: true }), (jobs) => jobs.every((j) => j.task !== "notify-applicant"));
  });

  it("a role that works: the welcome is sent once the role is assigned, and nothing else", async () => {
    const ctx = await setup();
    runner = await startTestRunner();
    expect((await post(approveRoute, ctx, "/approve")).status).toBe(200);
    const welcome = await waitFor(() => messageOf(ctx.app.id, "approved"), settled);
    const expected = DEFAULT_TEMPLATES.approved
      .replace("{applicant}", "Alex Applicant")
      .replace("{server}", "Demo Guild")
      .replace("{form}", "Application");
    expect(welcome?.content).toBe(expected);
    expect(welcome).toMatchObject({ status: "SENT" });
    expect(await statusOf(ctx.app.id)).toMatchObject({ status: "APPROVED_ROLE_ASSIGNED" });
    expect(dmTexts()).toEqual([welcome!.content]);
    expect(await messageOf(ctx.app.id, "role_delayed")).toBeNull();
  });

  it("a failed approval rejected after all: the held welcome is dropped, never sent", async () => {
    const ctx = await setup();
    discord.injectFault({ route: ROLE_PUT, status: 403, code: 50013, times: 1 });
    runner = await startTestRunner();
    expect((await post(approveRoute, ctx, "/approve")).status).toBe(200);
    await waitFor(() => messageOf(ctx.app.id, "role_delayed"), settled);
    expect((await post(rejectRoute, ctx, "/reject", { reason: "Changed our mind" })).status).toBe(200);
    await waitFor(() => messageOf(ctx.app.id, "rejected"), settled);
    expect(await messageOf(ctx.app.id, "approved")).toBeNull();
    expect(dmTexts()).toHaveLength(2);
    expect(dmTexts()[1]).toMatch(/was not accepted\.\nReason: Changed our mind$/);
  });

  it("crashes: the role job and the welcome's job each run again after the post, and the applicant gets one welcome", async () => {
    const ctx = await setup();
    expect((await post(approveRoute, ctx, "/approve")).status).toBe(200);
    const payload = { applicationId: ctx.app.id, organizationId: ctx.organization.id };
    const roleSettings = testRoleSettings();
    await runAssignRole(payload, roleSettings);
    expect(await statusOf(ctx.app.id)).toMatchObject({ status: "APPROVED_ROLE_ASSIGNED" });
    const released = await messageOf(ctx.app.id, "approved");
    expect(released).toMatchObject({ status: "PENDING" });
    // The release committed with the transition: its job exists.
    expect((await listJobs({ messages: true })).map((j) => j.key)).toContain(`notify:${released!.id}`);

    // The notify job dies after Discord accepted the DM; the role job is delivered again (a duplicate run).
    const settings = testNotificationSettings();
    const crashing: MessageSender = {
      sendDirect: async (input) => {
        await settings.sender.sendDirect(input);
        throw new Error("worker died after Discord accepted the post");
      },
      postToChannel: settings.sender.postToChannel,
    };
    const message = { messageId: released!.id, organizationId: ctx.organization.id };
    await runNotifyApplicant(message, { ...settings, sender: crashing }).catch(() => undefined);
    await runAssignRole(payload, roleSettings);
    await runNotifyApplicant(message, settings);
    await runNotifyApplicant(message, settings);
    expect(await messageOf(ctx.app.id, "approved")).toMatchObject({ status: "SENT" });
    expect(dmTexts()).toHaveLength(1);
    expect(await db.applicantMessage.count({ where: { applicationId: ctx.app.id } })).toBe(1);
  });
});

describe("a revocation tells the applicant why", () => {
  it("one revocation DM from the organization's template with the reason; the status page shows it", async () => {
    const ctx = await setup();
    const saved = await settingsRoute(
      dashboardRequest("PUT", `/api/orgs/${ctx.slug}/applicant-settings`, {
        cookie: ctx.cookie,
        body: { revokeTemplate: "{applicant}: {server} withdrew your approval. Why: {reason}" },
      }),
      paramsOf({ slug: ctx.slug }),
    );
    expect(saved.status, await saved.clone().text()).toBe(200);
    runner = await startTestRunner();
    expect((await post(approveRoute, ctx, "/approve")).status).toBe(200);
    await waitFor(() => messageOf(ctx.app.id, "approved"), settled);

    const reason = "Broke the server rules";
    const first = await post(revokeRoute, ctx, "/revoke", { reason });
    expect(first.status, await first.clone().text()).toBe(200);
    // A second click (or a retried request) is refused and sends nothing more.
    expect((await post(revokeRoute, ctx, "/revoke", { reason })).status).toBe(409);
    await waitFor(
      () => statusOf(ctx.app.id),
      (a) => a.status === "REVOKED",
    );
    const revoked = await waitFor(() => messageOf(ctx.app.id, "revoked"), settled);
    const expected = `Alex Applicant: Demo Guild withdrew your approval. Why: ${reason}`;
    expect(revoked).toMatchObject({ status: "SENT", content: expected });
    expect(dmTexts().filter((t) => t === expected)).toHaveLength(1);

    const { cookie } = await startApplicantSession({ discordUserId: WORLD_IDS.applicant, name: "Alex Applicant" });
    const response = await listOwn(
      new Request(`${TEST_ORIGIN}/api/apply/${ctx.slug}/applications`, {
        headers: { cookie: cookie.split(";")[0]! },
      }),
      paramsOf({ slug: ctx.slug }),
    );
    expect(response.status).toBe(200);
    const listed = (await response.json()) as { applications: Record<string, unknown>[] };
    expect(listed.applications[0]).toMatchObject({
      id: ctx.app.id,
      status: "REVOKED",
      state: "Approval withdrawn",
      revokeReason: reason,
      revokedAt: expect.any(String),
    });
  });

  it("the default template says it was withdrawn and why", async () => {
    const ctx = await setup();
    await db.application.update({
      where: { id: ctx.app.id },
      data: { status: "APPROVED_ROLE_ASSIGNED", roleAssignmentStatus: "SUCCESS" },
    });
    runner = await startTestRunner();
    expect((await post(revokeRoute, ctx, "/revoke", { reason: "Left the community" })).status).toBe(200);
    const revoked = await waitFor(() => messageOf(ctx.app.id, "revoked"), settled);
    expect(revoked).toMatchObject({
      status: "SENT",
      content:
        "Hi Alex Applicant, your approval for Demo Guild (Application) was withdrawn.\nReason: Left the community",
    });
  });
});

describe("resending a failed message", () => {
  type ErrorBody = { error: { code: string } };

  it("a DM that failed is sent once by a resend; a second resend is refused with 409 message_already_sent", async () => {
    const ctx = await setup();
    discord.injectFault({ route: SEND, status: 500, times: 100 });
    runner = await startTestRunner({ notifications: { maxAttempts: 1 } });
    expect((await post(rejectRoute, ctx, "/reject", { reason: "No" })).status).toBe(200);
    const failed = await waitFor(() => messageOf(ctx.app.id, "rejected"), settled, 20_000);
    expect(failed).toMatchObject({ status: "FAILED", errorCode: "discord_unavailable" });
    expect(dmTexts()).toEqual([]);

    discord.faults.clear();
    const resend = () => post(resendRoute, ctx, `/messages/${failed!.id}/resend`, undefined, { messageId: failed!.id });
    const first = await resend();
    expect(first.status, await first.clone().text()).toBe(200);
    // While it is being sent, a second click changes nothing.
    const racing = await resend();
    if (racing.status !== 409) throw new Error(`expected 409, got ${racing.status}`);
    expect(["message_not_failed", "message_already_sent"]).toContain(((await racing.json()) as ErrorBody).error.code);

    const sent = await waitFor(() => messageOf(ctx.app.id, "rejected"), settled);
    expect(sent).toMatchObject({ status: "SENT", attempts: 1, errorCode: null });
    expect(dmTexts()).toEqual([sent!.content]);
    const again = await resend();
    expect(again.status).toBe(409);
    expect(((await again.json()) as ErrorBody).error.code).toBe("message_already_sent");
    expect(dmTexts()).toHaveLength(1);
    const audit = await db.auditEvent.findMany({
      where: { targetId: ctx.app.id, action: "application.message_resent" },
    });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actorUserId: ctx.userId,
      outcome: "SUCCESS",
      metadata: expect.objectContaining({ messageId: failed!.id, previousStatus: "FAILED" }),
    });
  }, 40_000);

  it("a 'role follows' note that failed is not resent once the role was given: 409 message_outdated", async () => {
    const ctx = await setup();
    await db.application.update({
      where: { id: ctx.app.id },
      data: { status: "APPROVED_ROLE_ASSIGNED", roleAssignmentStatus: "SUCCESS" },
    });
    const note = await db.applicantMessage.create({
      data: {
        organizationId: ctx.organization.id,
        applicationId: ctx.app.id,
        target: "dm",
        event: "role_delayed",
        content: "Your role follows",
        status: "FAILED",
      },
    });
    const response = await post(resendRoute, ctx, `/messages/${note.id}/resend`, undefined, { messageId: note.id });
    expect(response.status).toBe(409);
    expect(((await response.json()) as ErrorBody).error.code).toBe("message_outdated");
    expect(await db.applicantMessage.findUniqueOrThrow({ where: { id: note.id } })).toMatchObject({ status: "FAILED" });
    expect(await listJobs({ messages: true })).toEqual([]);
  });

  it("another application's message, or an unknown id, is 404 and changes nothing", async () => {
    const ctx = await setup();
    const other = await createTestOrganization();
    const otherApp = await createApplication({ organizationId: other.id, applicantDiscordId: WORLD_IDS.applicant });
    const foreign = await db.applicantMessage.create({
      data: {
        organizationId: other.id,
        applicationId: otherApp.id,
        target: "dm",
        event: "rejected",
        content: "No",
        status: "NOT_DELIVERED",
      },
    });
    for (const id of [foreign.id, "not-a-uuid", "00000000-0000-4000-8000-000000000000"]) {
      const response = await post(resendRoute, ctx, `/messages/${id}/resend`, undefined, { messageId: id });
      expect(response.status).toBe(404);
    }
    expect(await messageOf(otherApp.id, "rejected")).toMatchObject({ status: "NOT_DELIVERED" });
    expect(await listJobs({ messages: true })).toEqual([]);
  });
});
