// The review channel: the post job (failures retried or recorded, rate limits waited out without an attempt, the
// application never held up), the health check of the channel's permissions, the settings, and the deferred answer
// when a decision takes longer than Discord's window.
import { beforeEach, describe, expect, it } from "vitest";
import { checkGuildHealth } from "@/lib/bot-connection/guild-health";
import { forgetBotReads } from "@/lib/bot-connection/discord-reads";
import { getReviewSettings, updateReviewSettings } from "@/lib/bot-connection/review-settings";
import { updateApplicationStatus } from "@/lib/applications/decisions/review";
import { db } from "@/lib/db";
import { resetDiscordClients } from "@/lib/discord/client";
import { handleDiscordInteraction } from "@/lib/discord-review/interactions";
import { reviewCustomId } from "@/lib/review-channel/custom-id";
import { runSyncReviewMessage } from "@/lib/review-channel/sync-task";
import { PERMISSIONS, useDiscordFake } from "~tests/fakes/discord";
import { buttonClickPayload, fakeApplicationKeys, signInteraction } from "~tests/fakes/discord/interactions";
import { listJobs } from "~tests/helpers/applications";
import {
  buttonIds,
  messageText,
  REVIEW_SETTINGS,
  reviewWorld,
  submit,
  syncMessage,
} from "~tests/helpers/discord-review";

const discord = useDiscordFake();
const POST_MESSAGE = "POST /channels/{channel_id}/messages";

// A 429 leaves the REST client's bucket limited for its Retry-After, and the clients are kept per process across
// test files: each test starts with fresh ones.
beforeEach(() => resetDiscordClients());

const reviewJobs = async () => (await listJobs()).filter((j) => j.task === "sync-review-message");

describe("posting a new application", () => {
  it("is a job added with the application (web and API alike), and posts applicant, age, form and answers with buttons", async () => {
    const { organization, world } = await reviewWorld(discord);
    const application = await submit(organization.id, world.applicant.id, "I run the weekly raid nights.");
    expect(await reviewJobs()).toHaveLength(1);
    await syncMessage(organization.id, application.id);
    const [message] = discord.model.channelMessages(world.channels.general.id);
    const text = messageText(message!);
    expect(text).toContain(`<@${world.applicant.id}>`);
    expect(text).toMatch(/Discord account:\*\* .* old/);
    expect(text).toContain("Why do you want to join?");
    expect(text).toContain("I run the weekly raid nights.");
    expect(buttonIds(message!)).toEqual([
      reviewCustomId("approve", application.id),
      reviewCustomId("reject", application.id),
    ]);
    // The dashboard link is on every message; no secret anywhere in it.
    expect(JSON.stringify(message)).toContain(`/dashboard/${organization.slug}/applications/${application.id}`);
  });

  it("organizations without a review channel get no message row and no job", async () => {
    const { organization, world } = await reviewWorld(discord);
    await db.discordConnection.update({ where: { organizationId: organization.id }, data: { reviewChannelId: null } });
    const application = await submit(organization.id, world.applicant.id);
    expect(await db.applicationReviewMessage.count()).toBe(0);
    expect(await reviewJobs()).toHaveLength(0);
    expect(application.status).toBe("PENDING");
  });

  it("a long answer is cut to Discord's limits, with the dashboard link for the rest", async () => {
    const { organization, world } = await reviewWorld(discord);
    const application = await submit(organization.id, world.applicant.id, "word ".repeat(390));
    await syncMessage(organization.id, application.id);
    const [message] = discord.model.channelMessages(world.channels.general.id);
    const field = (message!.embeds[0]!.fields as { value: string }[]).find((f) => f.value.startsWith("word"))!;
    expect(field.value.length).toBeLessThanOrEqual(1024);
    expect(field.value.endsWith("…")).toBe(true);
    expect(String(message!.embeds[0]!.description)).toContain("Full application: http://localhost:3000/dashboard/");
  });

  it("a rate limit is waited out without spending an attempt", async () => {
    const { organization, world } = await reviewWorld(discord);
    const application = await submit(organization.id, world.applicant.id);
    discord.injectFault({ route: POST_MESSAGE, status: 429, retryAfter: 30 });
    const before = Date.now();
    await runSyncReviewMessage({ organizationId: organization.id, applicationId: application.id }, REVIEW_SETTINGS);
    const [job] = await reviewJobs();
    expect(job).toMatchObject({ attempts: 0 });
    expect(job!.run_at.getTime()).toBeGreaterThanOrEqual(before + 29_000);
    expect(discord.model.channelMessages(world.channels.general.id)).toHaveLength(0);
    expect((await db.application.findUniqueOrThrow({ where: { id: application.id } })).status).toBe("PENDING");
  });

  it("Discord's server errors fail the attempt (graphile-worker retries it); the next attempt posts", async () => {
    const { organization, world } = await reviewWorld(discord);
    const application = await submit(organization.id, world.applicant.id);
    discord.injectFault({ route: POST_MESSAGE, status: 502, times: 3 });
    await expect(
      runSyncReviewMessage({ organizationId: organization.id, applicationId: application.id }, REVIEW_SETTINGS),
    ).rejects.toMatchObject({ status: 502 });
    // The lease is released: the retry posts at once.
    const row = await syncMessage(organization.id, application.id);
    expect(row.messageId).toBeTruthy();
    expect(discord.model.channelMessages(world.channels.general.id)).toHaveLength(1);
  });

  it("a job run again after Discord accepted its post (the saved id lost) gets that post back: one message", async () => {
    const { organization, world } = await reviewWorld(discord);
    const application = await submit(organization.id, world.applicant.id);
    const first = await syncMessage(organization.id, application.id);
    // The worker died before saving: the row is as it was before the post.
    await db.applicationReviewMessage.update({
      where: { applicationId: application.id },
      data: { messageId: null, postedAt: null, shownVersion: null },
    });
    const again = await syncMessage(organization.id, application.id);
    expect(again.messageId).toBe(first.messageId);
    expect(discord.model.channelMessages(world.channels.general.id).map((m) => m.id)).toEqual([first.messageId]);
    // The rerun knows a post was attempted: it finds the message in the channel instead of posting.
    expect(discord.countRequests(POST_MESSAGE)).toBe(1);
    expect(discord.countRequests("GET /channels/{channel_id}/messages")).toBe(1);
  });

  it("Discord's answer lost after it posted (dropped connection): the retry finds the post, one message", async () => {
    const { organization, world } = await reviewWorld(discord);
    const application = await submit(organization.id, world.applicant.id);
    discord.injectFault({ route: POST_MESSAGE, drop: true, afterHandling: true });
    await expect(
      runSyncReviewMessage({ organizationId: organization.id, applicationId: application.id }, REVIEW_SETTINGS),
    ).rejects.toThrow();
    expect(discord.model.channelMessages(world.channels.general.id)).toHaveLength(1);
    const row = await syncMessage(organization.id, application.id);
    expect(discord.model.channelMessages(world.channels.general.id).map((m) => m.id)).toEqual([row.messageId]);
  });

  it("a bot without Embed Links: the problem is recorded in words, and the application is decided as usual", async () => {
    const { organization, world, admin } = await reviewWorld(discord, { botCanPost: false });
    const application = await submit(organization.id, world.applicant.id);
    const row = await syncMessage(organization.id, application.id);
    expect(row.messageId).toBeNull();
    expect(row.lastError).toMatch(/Send Messages and Embed Links/);
    const decided = await updateApplicationStatus({
      applicationId: application.id,
      organizationId: organization.id,
      status: "REJECTED",
      reviewerId: admin.id,
    });
    expect(decided.status).toBe("REJECTED");
  });

  it("a job that finds the message held by another looks again within a second, not after the whole lease", async () => {
    const { organization, world } = await reviewWorld(discord);
    const application = await submit(organization.id, world.applicant.id, "Hello");
    // Another job is showing the message (the decision's), perhaps still the state before this job's change.
    await db.applicationReviewMessage.updateMany({
      where: { applicationId: application.id },
      data: { leaseUntil: new Date(Date.now() + REVIEW_SETTINGS.leaseMs) },
    });
    const before = Date.now();
    await runSyncReviewMessage({ applicationId: application.id, organizationId: organization.id }, REVIEW_SETTINGS);
    expect(discord.model.channelMessages(world.channels.general.id)).toHaveLength(0);
    const [job] = await reviewJobs();
    expect(job!.run_at.getTime() - before).toBeLessThan(REVIEW_SETTINGS.leaseRecheckMs + 1_000);
    expect(job!.run_at.getTime() - before).toBeLessThan(REVIEW_SETTINGS.leaseMs);
    expect(job!.attempts).toBe(0);
  });

  it("a decision taken before the first post shows in the first post: no buttons on a decided application", async () => {
    const { organization, world, admin } = await reviewWorld(discord);
    const application = await submit(organization.id, world.applicant.id);
    await updateApplicationStatus({
      applicationId: application.id,
      organizationId: organization.id,
      status: "REJECTED",
      reviewerId: admin.id,
    });
    await syncMessage(organization.id, application.id);
    const messages = discord.model.channelMessages(world.channels.general.id);
    expect(messages).toHaveLength(1);
    expect(buttonIds(messages[0]!)).toEqual([]);
    expect(messageText(messages[0]!)).toContain("Rejected by");
  });
});

describe("the health check of the review channel", () => {
  it("names the missing permissions with a fix, and is fine once the bot has them", async () => {
    const { organization, world } = await reviewWorld(discord, { botCanPost: false });
    // @everyone may send messages in the fake's world; Embed Links is what the bot's role lacks.
    const health = await checkGuildHealth({ organizationId: organization.id, fresh: true });
    expect(health.status).toBe("problems");
    const check = health.status === "problems" ? health.checks.find((c) => c.id === "review_channel") : undefined;
    expect(check).toMatchObject({ ok: false });
    expect(check!.problem).toContain("Embed Links");
    expect(check!.problem).toContain("#general");
    expect(check!.fix).toMatch(/Edit Channel → Permissions.*allow Embed Links/);

    world.roles.bot.permissions |= PERMISSIONS.EMBED_LINKS;
    const fixed = await checkGuildHealth({ organizationId: organization.id, fresh: true });
    expect(fixed.status === "healthy" || fixed.status === "problems").toBe(true);
    const ok = "checks" in fixed ? fixed.checks.find((c) => c.id === "review_channel") : undefined;
    expect(ok).toEqual({ id: "review_channel", ok: true });
  });

  it("says so when the review channel is gone", async () => {
    const { organization, world } = await reviewWorld(discord);
    discord.model.guildOrThrow(world.guild.id).channels.delete(world.channels.general.id);
    const health = await checkGuildHealth({ organizationId: organization.id, fresh: true });
    const check = "checks" in health ? health.checks.find((c) => c.id === "review_channel") : undefined;
    expect(check).toMatchObject({ ok: false, fix: expect.stringContaining("Review in Discord") });
  });
});

describe("review settings", () => {
  it("offers the guild's text channels with what the bot lacks, saves a channel and reviewer roles, refuses others", async () => {
    const { organization, world, admin } = await reviewWorld(discord, { botCanPost: false });
    await db.discordConnection.update({ where: { organizationId: organization.id }, data: { reviewChannelId: null } });
    forgetBotReads();
    const settings = await getReviewSettings({ organizationId: organization.id, fresh: true });
    expect(settings.channels.map((c) => c.name)).toEqual(["general", "rules"]);
    expect(settings.channels[0]!.missing).toEqual(["Embed Links"]);
    const actor = { userId: admin.id, ip: null };
    const saved = await updateReviewSettings({
      organizationId: organization.id,
      input: { reviewChannelId: world.channels.rules.id, reviewerRoleIds: [world.roles.member.id] },
      actor,
    });
    expect(saved).toMatchObject({ reviewChannelId: world.channels.rules.id, reviewChannelName: "rules" });
    await expect(
      updateReviewSettings({
        organizationId: organization.id,
        input: { reviewChannelId: "1200000000000009999", reviewerRoleIds: [] },
        actor,
      }),
    ).rejects.toMatchObject({ code: "channel_not_in_guild" });
    await expect(
      updateReviewSettings({
        organizationId: organization.id,
        input: { reviewChannelId: null, reviewerRoleIds: ["1200000000000009999"] },
        actor,
      }),
    ).rejects.toMatchObject({ code: "invalid_role_id" });
    const connection = await db.discordConnection.findUniqueOrThrow({ where: { organizationId: organization.id } });
    expect(connection).toMatchObject({
      reviewChannelId: world.channels.rules.id,
      reviewerRoleIds: [world.roles.member.id],
    });
  });
});

describe("Discord's 3-second window", () => {
  it("a decision slower than the window is deferred (type 6) and finished through the interaction webhook", async () => {
    const { organization, world } = await reviewWorld(discord);
    const application = await submit(organization.id, world.applicant.id);
    const row = await syncMessage(organization.id, application.id);
    const payload = buttonClickPayload(discord, {
      applicationId: world.platform.id,
      messageId: row.messageId!,
      userId: world.admin.id,
      customId: reviewCustomId("approve", application.id),
    });
    const body = JSON.stringify(payload);
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = signInteraction(body, timestamp, fakeApplicationKeys(world.platform.id).privateKey);
    const reply = await handleDiscordInteraction({
      applicationId: null,
      rawBody: body,
      signature: headers["X-Signature-Ed25519"]!,
      timestamp: headers["X-Signature-Timestamp"]!,
      answerWithinMs: 0,
    });
    expect(reply).toMatchObject({ kind: "response", body: { type: 6 } });
    await (reply as { continuation: () => Promise<void> }).continuation();
    expect(discord.requests("PATCH /webhooks/{application_id}/{interaction_token}/messages/@original")).toHaveLength(1);
    const message = discord.model.messages.get(row.messageId!)!;
    expect(buttonIds(message)).toEqual([]);
    expect(messageText(message)).toContain("Approved by");
    expect((await db.application.findUniqueOrThrow({ where: { id: application.id } })).status).toBe(
      "APPROVED_PENDING_ROLE",
    );
  });
});
