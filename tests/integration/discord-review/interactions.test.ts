// The interactions endpoint end to end in this process: Discord's signature rules (nothing happens for a request
// that does not verify), PING, decisions by button and modal through the dashboard's own decision function, who
// may click, and the race between a click and the dashboard.
import type { Runner } from "graphile-worker";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { updateApplicationStatus } from "@/lib/applications/decisions/review";
import { db } from "@/lib/db";
import { resetDiscordClients } from "@/lib/discord/client";
import { reviewCustomId } from "@/lib/review-channel/custom-id";
import { outsiderDenialCounts } from "@/lib/security/denials";
import { useDiscordFake } from "~tests/fakes/discord";
import {
  buttonClickPayload,
  fakeApplicationKeys,
  interactionState,
  modalSubmitPayload,
  pingPayload,
  strangerKeys,
} from "~tests/fakes/discord/interactions";
import { createOrgWithGuild, createApplication, listJobs, waitFor } from "~tests/helpers/applications";
import {
  buttonIds,
  messageText,
  reviewWorld,
  send,
  startReviewRunner,
  submit,
  syncMessage,
} from "~tests/helpers/discord-review";

const discord = useDiscordFake();

// The REST clients (and their rate-limit buckets) are kept per process across test files: start from fresh ones,
// so a 429 another file provoked cannot hold up this file's edits.
beforeEach(() => resetDiscordClients());

let runner: Runner | undefined;
afterEach(async () => {
  await runner?.stop();
  runner = undefined;
});

/** A world with one application posted in the review channel. */
async function posted() {
  const setup = await reviewWorld(discord);
  const application = await submit(setup.organization.id, setup.world.applicant.id);
  const row = await syncMessage(setup.organization.id, application.id);
  expect(row.messageId).toBeTruthy();
  return { ...setup, application, messageId: row.messageId! };
}

function click(messageId: string, userId: string, customId: string) {
  return buttonClickPayload(discord, {
    applicationId: discord.world.platform.id,
    messageId,
    userId,
    customId,
  });
}

async function effects(applicationId: string) {
  const application = await db.application.findUniqueOrThrow({ where: { id: applicationId } });
  const audit = await db.auditEvent.findMany({
    where: { targetId: applicationId, action: { not: "application.submit" } },
  });
  const jobs = (await listJobs()).filter((j) => j.task !== "sync-review-message");
  return { status: application.status, version: application.version, audit: audit.length, jobs: jobs.length };
}

describe("signatures", () => {
  it("answers PING with PONG (type 1)", async () => {
    const outcome = await send(discord, { payload: pingPayload(discord, discord.world.platform.id) });
    expect(outcome).toEqual({ status: 200, body: { type: 1 } });
  });

  it("refuses missing, forged, tampered, replayed-old, future and foreign-application signatures with 401 and no effect", async () => {
    const { application, messageId, world } = await posted();
    const before = await effects(application.id);
    const approve = () => click(messageId, world.admin.id, reviewCustomId("approve", application.id));
    const now = Math.floor(Date.now() / 1000);
    const attempts = [
      send(discord, { payload: approve(), signWith: null }),
      send(discord, { payload: approve(), signWith: strangerKeys().privateKey }),
      send(discord, { payload: approve(), sendBody: JSON.stringify({ ...approve(), type: 1 }) }),
      send(discord, { payload: approve(), timestamp: now - 10 * 60 }),
      send(discord, { payload: approve(), timestamp: now + 10 * 60 }),
      // Signed by another application (a tenant's own bot) but sent to the platform's URL.
      send(discord, { payload: approve(), signWith: fakeApplicationKeys(world.tenantApplication.id).privateKey }),
      send(discord, { payload: pingPayload(discord, world.platform.id), signWith: strangerKeys().privateKey }),
    ];
    for (const outcome of await Promise.all(attempts)) {
      expect(outcome.status).toBe(401);
      expect(outcome.body).toMatchObject({ error: { code: "unauthorized" } });
    }
    expect(await effects(application.id)).toEqual(before);
    expect(before).toMatchObject({ status: "PENDING", audit: 0, jobs: 0 });
    expect(buttonIds(discord.model.messages.get(messageId)!)).toHaveLength(2);
  });

  it("refuses a PING whose application_id is not the URL's application", async () => {
    const payload = {
      ...pingPayload(discord, discord.world.platform.id),
      application_id: discord.world.tenantApplication.id,
    };
    const outcome = await send(discord, {
      payload,
      signWith: fakeApplicationKeys(discord.world.platform.id).privateKey,
    });
    expect(outcome.status).toBe(401);
  });
});

describe("decisions from Discord", () => {
  it(
    "an approval by button: one transition by that member with source discord, the role job, the message edited",
    { timeout: 120_000 },
    async () => {
      const { application, messageId, world, admin, organization } = await posted();
      const outcome = await send(discord, {
        payload: click(messageId, world.admin.id, reviewCustomId("approve", application.id)),
      });
      expect(outcome.status).toBe(200);
      expect(outcome.body?.type).toBe(7);

      const decided = await db.application.findUniqueOrThrow({ where: { id: application.id } });
      expect(decided).toMatchObject({ status: "APPROVED_PENDING_ROLE", reviewedById: admin.id, version: 1 });
      const audit = await db.auditEvent.findMany({
        where: { targetId: application.id, action: "application.approve" },
      });
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ actorUserId: admin.id, organizationId: organization.id });
      expect(audit[0]!.metadata).toMatchObject({ source: "discord", from: "PENDING", to: "APPROVED_PENDING_ROLE" });

      // The role job gives the role; the message ends showing it, without buttons. (The runner starts only now,
      // so the state right after the click is the click's alone.)
      runner = await startReviewRunner();
      await waitFor(
        () => db.application.findUniqueOrThrow({ where: { id: application.id } }),
        (a) => a.status === "APPROVED_ROLE_ASSIGNED",
        45_000,
      );
      expect(
        discord.model
          .guildOrThrow(world.guild.id)
          .members.get(world.applicant.id)!
          .roleIds.has(world.roles.approved.id),
      ).toBe(true);
      const message = await waitFor(
        async () => discord.model.messages.get(messageId)!,
        (m) => messageText(m).includes("role given"),
        45_000,
      );
      expect(buttonIds(message)).toEqual([]);
      expect(messageText(message)).toContain(`Approved by <@${world.admin.id}>`);
      // One message in the channel: edits, never a second post.
      expect(discord.model.channelMessages(world.channels.general.id)).toHaveLength(1);
    },
  );

  it("a rejection by modal carries its reason into the audit row and the message", async () => {
    const { application, messageId, world } = await posted();
    const opened = await send(discord, {
      payload: click(messageId, world.admin.id, reviewCustomId("reject", application.id)),
    });
    expect(opened.body).toMatchObject({
      type: 9,
      data: { custom_id: reviewCustomId("reject-reason", application.id) },
    });
    expect((await db.application.findUniqueOrThrow({ where: { id: application.id } })).status).toBe("PENDING");

    const submitted = await send(discord, {
      payload: modalSubmitPayload(discord, {
        applicationId: world.platform.id,
        messageId,
        userId: world.admin.id,
        customId: reviewCustomId("reject-reason", application.id),
        values: { reason: "Account too new for raids." },
      }),
    });
    expect(submitted.body?.type).toBe(7);
    expect((await db.application.findUniqueOrThrow({ where: { id: application.id } })).status).toBe("REJECTED");
    const [audit] = await db.auditEvent.findMany({ where: { targetId: application.id, action: "application.reject" } });
    expect(audit!.metadata).toMatchObject({ source: "discord", reason: "Account too new for raids." });
    const message = discord.model.messages.get(messageId)!;
    expect(messageText(message)).toContain("Account too new for raids.");
    expect(buttonIds(message)).toEqual([]);
  });

  it("a rejection without a reason where the organization requires one is refused in words, changing nothing", async () => {
    const { application, messageId, world, organization } = await posted();
    await db.applicantSettings.create({ data: { organizationId: organization.id, rejectReasonRequired: true } });
    const submitted = await send(discord, {
      payload: modalSubmitPayload(discord, {
        applicationId: world.platform.id,
        messageId,
        userId: world.admin.id,
        customId: reviewCustomId("reject-reason", application.id),
        values: { reason: "   " },
      }),
    });
    expect(submitted.body).toMatchObject({ type: 4, data: { flags: 64 } });
    expect(String(submitted.body?.data?.content)).toMatch(/asks for a reason/);
    const after = await db.application.findUniqueOrThrow({ where: { id: application.id } });
    expect([after.status, after.rejectReason]).toEqual(["PENDING", null]);
    expect(buttonIds(discord.model.messages.get(messageId)!)).not.toEqual([]);
  });

  it("refuses a non-member's click with an ephemeral answer and an access.denied row (one per user per window), changing nothing", async () => {
    const { application, messageId, world, organization } = await posted();
    const outcome = await send(discord, {
      payload: click(messageId, world.applicant.id, reviewCustomId("approve", application.id)),
    });
    expect(outcome.body).toMatchObject({ type: 4, data: { flags: 64 } });
    expect(String(outcome.body?.data?.content)).toMatch(/may not decide/);
    expect((await db.application.findUniqueOrThrow({ where: { id: application.id } })).status).toBe("PENDING");
    const denied = await db.auditEvent.findMany({
      where: { organizationId: organization.id, action: "access.denied" },
    });
    expect(denied).toHaveLength(1);
    expect(denied[0]).toMatchObject({ outcome: "DENIED", targetId: application.id });
    expect(denied[0]!.metadata).toMatchObject({ source: "discord", discordUserId: world.applicant.id });
    expect(buttonIds(discord.model.messages.get(messageId)!)).toHaveLength(2);
  });

  it("20 refused clicks by one user are 20 ephemeral refusals, all counted, and one access.denied row", async () => {
    const { application, messageId, world, organization } = await posted();
    const before = outsiderDenialCounts().discord_not_reviewer;
    for (let i = 0; i < 20; i++) {
      const outcome = await send(discord, {
        payload: click(messageId, world.applicant.id, reviewCustomId(i % 2 ? "reject" : "approve", application.id)),
      });
      expect(outcome.body, `click ${i + 1}`).toMatchObject({ type: 4, data: { flags: 64 } });
      expect(String(outcome.body?.data?.content)).toMatch(/may not decide/);
    }
    expect(outsiderDenialCounts().discord_not_reviewer - before).toBe(20);
    const denied = await db.auditEvent.findMany({
      where: { organizationId: organization.id, action: "access.denied" },
    });
    expect(denied).toHaveLength(1);
    expect(denied[0]!.metadata).toMatchObject({ source: "discord", discordUserId: world.applicant.id });
    expect((await db.application.findUniqueOrThrow({ where: { id: application.id } })).status).toBe("PENDING");
  });

  it("refuses a guild member without Guildgate membership, and lets them decide once their role is a reviewer role", async () => {
    const { application, messageId, world, organization } = await posted();
    discord.model.addMember(world.guild.id, world.outsider.id, [world.roles.member.id]);
    const refused = await send(discord, {
      payload: click(messageId, world.outsider.id, reviewCustomId("approve", application.id)),
    });
    expect(refused.body).toMatchObject({ type: 4, data: { flags: 64 } });

    await db.discordConnection.update({
      where: { organizationId: organization.id },
      data: { reviewerRoleIds: [world.roles.member.id] },
    });
    const allowed = await send(discord, {
      payload: click(messageId, world.outsider.id, reviewCustomId("approve", application.id)),
    });
    expect(allowed.body?.type).toBe(7);
    const decided = await db.application.findUniqueOrThrow({
      where: { id: application.id },
      include: { reviewedBy: true },
    });
    expect(decided.status).toBe("APPROVED_PENDING_ROLE");
    expect(decided.reviewedBy).toMatchObject({ discordUserId: world.outsider.id, name: "Olive Outsider" });
  });

  it("refuses unknown and foreign custom_ids: another organization's application is not found here", async () => {
    const { application, messageId, world } = await posted();
    const other = await createOrgWithGuild();
    const foreign = await createApplication({ organizationId: other.organization.id });
    for (const customId of [
      reviewCustomId("approve", foreign.id),
      "gg:approve:not-a-uuid",
      `gg:delete:${application.id}`,
      `gg:approve:${application.id}:extra`,
    ]) {
      const outcome = await send(discord, { payload: click(messageId, world.admin.id, customId) });
      expect(outcome.body).toMatchObject({ type: 4, data: { flags: 64 } });
    }
    expect((await db.application.findUniqueOrThrow({ where: { id: foreign.id } })).status).toBe("PENDING");
    expect((await db.application.findUniqueOrThrow({ where: { id: application.id } })).status).toBe("PENDING");
  });

  it("a click racing a dashboard decision: exactly one transition, and the loser is told who decided", async () => {
    const { application, messageId, world, organization } = await posted();
    const dashboardReviewer = await db.user.create({
      data: { discordUserId: "1200000000000000999", name: "Dana Dashboard" },
    });
    await db.membership.create({
      data: { userId: dashboardReviewer.id, organizationId: organization.id, role: "ADMIN" },
    });
    const [fromDiscord, fromDashboard] = await Promise.allSettled([
      send(discord, { payload: click(messageId, world.admin.id, reviewCustomId("approve", application.id)) }),
      updateApplicationStatus({
        applicationId: application.id,
        organizationId: organization.id,
        status: "REJECTED",
        reviewerId: dashboardReviewer.id,
      }),
    ]);
    const decisions = await db.auditEvent.findMany({
      where: { targetId: application.id, action: { in: ["application.approve", "application.reject"] } },
    });
    expect(decisions).toHaveLength(1);
    const final = await db.application.findUniqueOrThrow({ where: { id: application.id } });
    expect(final.version).toBe(1);
    if (decisions[0]!.action === "application.reject") {
      // The dashboard won: the click was answered, only to its author, with who decided.
      expect(fromDashboard.status).toBe("fulfilled");
      const body = (fromDiscord as PromiseFulfilledResult<Awaited<ReturnType<typeof send>>>).value.body;
      expect(body).toMatchObject({ type: 4, data: { flags: 64 } });
      expect(String(body?.data?.content)).toContain("Already rejected by Dana Dashboard");
    } else {
      expect(fromDashboard.status).toBe("rejected");
      expect((fromDashboard as PromiseRejectedResult).reason).toMatchObject({
        code: expect.stringMatching(/conflict|illegal_transition/),
      });
    }
  });

  it("a click on an application decided meanwhile says who decided and changes nothing", async () => {
    const { application, messageId, world, organization, admin } = await posted();
    await updateApplicationStatus({
      applicationId: application.id,
      organizationId: organization.id,
      status: "REJECTED",
      reviewerId: admin.id,
    });
    for (const action of ["approve", "reject"] as const) {
      const outcome = await send(discord, {
        payload: click(messageId, world.admin.id, reviewCustomId(action, application.id)),
      });
      expect(outcome.body).toMatchObject({ type: 4, data: { flags: 64 } });
      expect(String(outcome.body?.data?.content)).toContain("Already rejected by Demo Admin");
    }
    expect((await db.application.findUniqueOrThrow({ where: { id: application.id } })).version).toBe(1);
  });
  it("a click on an out-of-date message cannot re-approve a failed approval (that would be a retry past the limit)", async () => {
    const { application, messageId, world } = await posted();
    await db.application.update({
      where: { id: application.id },
      data: { status: "APPROVED_ROLE_FAILED", roleAssignmentStatus: "FAILED", retryCount: 5 },
    });
    for (const action of ["approve", "reject"] as const) {
      const outcome = await send(discord, {
        payload: click(messageId, world.admin.id, reviewCustomId(action, application.id)),
      });
      expect(outcome.body).toMatchObject({ type: 4, data: { flags: 64 } });
    }
    const modal = await send(discord, {
      payload: modalSubmitPayload(discord, {
        applicationId: world.platform.id,
        messageId,
        userId: world.admin.id,
        customId: reviewCustomId("reject-reason", application.id),
        values: { reason: "stale" },
      }),
    });
    expect(modal.body).toMatchObject({ type: 4, data: { flags: 64 } });
    const after = await db.application.findUniqueOrThrow({ where: { id: application.id } });
    expect(after).toMatchObject({ status: "APPROVED_ROLE_FAILED", version: application.version });
  });
});

describe("the review message after dashboard decisions", () => {
  it(
    "a decision taken in the dashboard edits the Discord message through the durable job",
    { timeout: 120_000 },
    async () => {
      const { application, messageId, organization, admin } = await posted();
      await updateApplicationStatus({
        applicationId: application.id,
        organizationId: organization.id,
        status: "REJECTED",
        reviewerId: admin.id,
        reason: "Duplicate application.",
      });
      const jobs = (await listJobs()).filter((j) => j.task === "sync-review-message");
      expect(jobs).toHaveLength(1);
      runner = await startReviewRunner();
      const message = await waitFor(
        async () => discord.model.messages.get(messageId)!,
        (m) => buttonIds(m).length === 0,
        45_000,
      );
      expect(messageText(message)).toContain("Rejected by");
      expect(messageText(message)).toContain("Duplicate application.");
      expect(message.editedAt).not.toBeNull();
    },
  );
});

describe("bring your own bot", () => {
  it("verifies with the organization's own key at its own URL, and refuses other keys and other guilds", async () => {
    const world = discord.world;
    const tenantKey = fakeApplicationKeys(world.tenantApplication.id);
    const { organization } = await createOrgWithGuild({
      guildId: world.guild.id,
      approvedRoleId: world.roles.approved.id,
    });
    await db.organization.update({
      where: { id: organization.id },
      data: { botApplicationId: world.tenantApplication.id, botPublicKey: tenantKey.publicKeyHex },
    });
    const admin = await db.user.create({ data: { discordUserId: world.admin.id, name: "Demo Admin" } });
    await db.membership.create({ data: { userId: admin.id, organizationId: organization.id, role: "OWNER" } });
    const application = await createApplication({
      organizationId: organization.id,
      applicantDiscordId: world.applicant.id,
    });
    // The tenant bot's message in the channel (posting itself is covered above).
    discord.model.addBotToGuild(world.guild.id, world.tenantApplication.id);
    const messageId = "1200000000000005000";
    discord.model.messages.set(messageId, {
      id: messageId,
      channelId: world.channels.general.id,
      guildId: world.guild.id,
      authorId: world.tenantApplication.botUserId,
      content: "",
      embeds: [{ title: "Application" }],
      components: [],
      createdAt: new Date().toISOString(),
      editedAt: null,
    });
    const tenant = world.tenantApplication.id;
    const ping = await send(discord, { payload: pingPayload(discord, tenant), endpointApplicationId: tenant });
    expect(ping).toEqual({ status: 200, body: { type: 1 } });
    // The platform's key at the tenant's URL, the tenant's key at the platform's URL: 401.
    const wrongKey = await send(discord, {
      payload: pingPayload(discord, tenant),
      endpointApplicationId: tenant,
      signWith: fakeApplicationKeys(world.platform.id).privateKey,
    });
    expect(wrongKey.status).toBe(401);
    const approve = buttonClickPayload(discord, {
      applicationId: tenant,
      messageId,
      userId: world.admin.id,
      customId: reviewCustomId("approve", application.id),
    });
    expect((await send(discord, { payload: approve })).status).toBe(401);
    const decided = await send(discord, { payload: approve, endpointApplicationId: tenant });
    expect(decided.body?.type).toBe(7);
    expect((await db.application.findUniqueOrThrow({ where: { id: application.id } })).status).toBe(
      "APPROVED_PENDING_ROLE",
    );
  });

  it("an application signed correctly by one own bot cannot act in a guild that uses another bot", async () => {
    const { application, messageId, world } = await posted(); // the platform bot's organization
    const tenant = world.tenantApplication.id;
    const other = await createOrgWithGuild();
    await db.organization.update({
      where: { id: other.organization.id },
      data: { botApplicationId: tenant, botPublicKey: fakeApplicationKeys(tenant).publicKeyHex },
    });
    const payload = buttonClickPayload(discord, {
      applicationId: tenant,
      messageId,
      userId: world.admin.id,
      customId: reviewCustomId("approve", application.id),
    });
    const outcome = await send(discord, { payload, endpointApplicationId: tenant });
    expect(outcome.body).toMatchObject({ type: 4, data: { flags: 64 } });
    expect((await db.application.findUniqueOrThrow({ where: { id: application.id } })).status).toBe("PENDING");
    expect(interactionState(discord).ephemeral.at(-1)?.content).toMatch(/does not belong/);
  });
});
