// Issue 23, items 1-3: on the shared platform bot, a tenant may only point the bot at its own guild. The fake's
// standard world has the platform bot in Demo Guild (the organization's) and here also in Second Guild (another
// tenant's), with a channel it may post and invite to and a user it shares that guild with: a foreign log, review
// or invite channel or DM target must be refused or not delivered, and nothing reaches the other guild.
import type { Runner } from "graphile-worker";
import { afterEach, expect, it } from "vitest";
import { PUT as settingsRoute } from "@/app/api/orgs/[slug]/applicant-settings/route";
import { POST as inviteRoute } from "@/app/api/orgs/[slug]/applicant-settings/invite/route";
import { POST as rejectRoute } from "@/app/api/orgs/[slug]/applications/[applicationId]/reject/route";
import { POST as submitApi } from "@/app/api/v1/applications/route";
import { db } from "@/lib/db";
import { MESSAGE_FAILURES } from "@/lib/notifications/failures";
import { PERMISSIONS, useDiscordFake, WORLD_IDS } from "~tests/fakes/discord";
import { CREATE_INSTANT_INVITE, invitesOf } from "~tests/fakes/discord/invites";
import { apiTokenFor, waitFor } from "~tests/helpers/applications";
import { dashboardRequest, paramsOf } from "~tests/helpers/auth";
import { reviewWorld, submit, syncMessage } from "~tests/helpers/discord-review";
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

type ErrorBody = { error: { code: string; message: string; details?: { path: string; message: string }[] } };

/** Second Guild as another tenant's: the platform bot in it, free to post and invite in #secret; Olive a member. */
function foreignGuild() {
  discord.model.addBotToGuild(WORLD_IDS.otherGuild, discord.world.platform.id, {
    permissions: PERMISSIONS.VIEW_CHANNEL | PERMISSIONS.SEND_MESSAGES | CREATE_INSTANT_INVITE,
  });
  discord.model.addMember(WORLD_IDS.otherGuild, WORLD_IDS.outsider);
  return discord.model.addChannel(WORLD_IDS.otherGuild, { name: "secret" });
}

/** Organization A on Demo Guild (platform bot), an ADMIN signed in. */
async function setup() {
  const { organization, cookie } = await createOrgOnDemoGuild({
    role: "ADMIN",
    orgName: "Acme",
    memberName: "Rita Reviewer",
  });
  return { organization, slug: organization.slug, cookie };
}

function reject(slug: string, cookie: string, applicationId: string) {
  return rejectRoute(
    dashboardRequest("POST", `/api/orgs/${slug}/applications/${applicationId}/reject`, {
      cookie,
      body: { reason: "No" },
    }),
    paramsOf({ slug, applicationId }),
  );
}

const messageOf = (applicationId: string, target: "dm" | "log") => () =>
  db.applicantMessage.findFirst({ where: { applicationId, target } });
const settled = (m: { status: string } | null) => m !== null && m.status !== "PENDING";

it("refuses another guild's channel as the log channel (400 channel_not_in_guild, nothing written)", async () => {
  const secret = foreignGuild();
  const { slug, cookie } = await setup();
  const response = await settingsRoute(
    dashboardRequest("PUT", `/api/orgs/${slug}/applicant-settings`, {
      cookie,
      body: { logChannelId: secret.id, dmOnReject: false },
    }),
    paramsOf({ slug }),
  );
  expect(response.status).toBe(400);
  const body = (await response.json()) as ErrorBody;
  expect(body.error.code).toBe("channel_not_in_guild");
  expect(body.error.details).toEqual([{ path: "logChannelId", message: expect.stringMatching(/connected server/) }]);
  expect(await db.applicantSettings.count()).toBe(0);
  expect(await db.auditEvent.count({ where: { action: "applicant_settings.update" } })).toBe(0);

  // Its own guild's channel is still fine.
  const own = await settingsRoute(
    dashboardRequest("PUT", `/api/orgs/${slug}/applicant-settings`, {
      cookie,
      body: { logChannelId: WORLD_IDS.generalChannel },
    }),
    paramsOf({ slug }),
  );
  expect(own.status, await own.clone().text()).toBe(200);
});

it("a stored foreign log channel (saved before the check) is never posted to: refused with a reason", async () => {
  const secret = foreignGuild();
  const { organization, slug, cookie } = await setup();
  await db.applicantSettings.create({
    data: { organizationId: organization.id, logChannelId: secret.id, dmOnReject: false },
  });
  const app = await db.application.create({
    data: { organizationId: organization.id, applicantDiscordId: WORLD_IDS.applicant, applicantName: "Alex" },
  });
  runner = await startTestRunner();
  expect((await reject(slug, cookie, app.id)).status).toBe(200);
  expect(await waitFor(messageOf(app.id, "log"), settled)).toMatchObject({
    status: "NOT_DELIVERED",
    errorCode: "channel_not_in_guild",
    errorMessage: MESSAGE_FAILURES.channel_not_in_guild,
  });
  expect(discord.model.channelMessages(secret.id)).toEqual([]);
  expect(discord.countRequests(SEND)).toBe(0);
});

it("refuses to create an invite into another guild's channel (400 channel_not_in_guild, no invite)", async () => {
  const secret = foreignGuild();
  const { slug, cookie } = await setup();
  const response = await inviteRoute(
    dashboardRequest("POST", `/api/orgs/${slug}/applicant-settings/invite`, { cookie, body: { channelId: secret.id } }),
    paramsOf({ slug }),
  );
  expect(response.status).toBe(400);
  expect(((await response.json()) as ErrorBody).error.code).toBe("channel_not_in_guild");
  expect(invitesOf(discord.model)).toEqual([]);
  expect(discord.countRequests("POST /channels/{channel_id}/invites")).toBe(0);
  expect(await db.applicantSettings.count()).toBe(0);
});

it("an API-submitted applicant is DMed only when in the organization's guild; anyone else is refused with a reason", async () => {
  foreignGuild();
  const { organization, slug, cookie } = await setup();
  const writer = await apiTokenFor(organization.id, ["applications:write"]);
  const submit = async (discordUserId: string, applicantName: string) => {
    const response = await submitApi(
      new Request("http://localhost:3000/api/v1/applications", {
        method: "POST",
        headers: { authorization: writer.authorization, "content-type": "application/json" },
        body: JSON.stringify({ discordUserId, applicantName, answers: {} }),
      }),
      paramsOf({}),
    );
    expect(response.status, await response.clone().text()).toBe(201);
    return ((await response.json()) as { application: { id: string } }).application.id;
  };
  // Olive never applied here and is not in Demo Guild; the shared bot meets her in Second Guild only.
  const stranger = await submit(WORLD_IDS.outsider, "Olive");
  runner = await startTestRunner();
  expect((await reject(slug, cookie, stranger)).status).toBe(200);
  expect(await waitFor(messageOf(stranger, "dm"), settled)).toMatchObject({
    status: "NOT_DELIVERED",
    errorCode: "recipient_not_verified",
    errorMessage: MESSAGE_FAILURES.recipient_not_verified,
  });
  expect(discord.countRequests(DM)).toBe(0);

  // Alex is a member of Demo Guild: the same path DMs him.
  const member = await submit(WORLD_IDS.applicant, "Alex");
  expect((await reject(slug, cookie, member)).status).toBe(200);
  expect(await waitFor(messageOf(member, "dm"), settled)).toMatchObject({ status: "SENT" });
  expect(discord.countRequests(DM)).toBe(1);
});

it("a stored review channel of another guild (kept through a reconnect) gets no application: recorded, not posted", async () => {
  const secret = foreignGuild();
  const { organization, world } = await reviewWorld(discord);
  // As after a disconnect from the guild that had #secret and a connect to Demo Guild: the setting stayed.
  await db.discordConnection.update({
    where: { organizationId: organization.id },
    data: { reviewChannelId: secret.id, reviewChannelName: "secret" },
  });
  const application = await submit(organization.id, world.applicant.id, "My private answer.");
  const row = await syncMessage(organization.id, application.id);
  expect(row).toMatchObject({
    messageId: null,
    lastError: expect.stringMatching(/not a text channel of the connected server/),
  });
  expect(discord.model.channelMessages(secret.id)).toEqual([]);
  expect(discord.countRequests(SEND)).toBe(0);
});
