// The notify-applicant job runs at least once: when it dies (or loses Discord's answer) after Discord accepted the
// post and before it saved the result, it runs again. The rerun adopts the message already sent: it looks for it in
// the channel's last messages (past Discord's nonce window, minutes, only that finds it), and the post's nonce with
// enforce_nonce returns it within the window. So the applicant gets one DM and the log channel one post, showing the
// message's text, and the row records that message's id.
import type { Runner } from "graphile-worker";
import { afterEach, describe, expect, it } from "vitest";
import { checkDmRecipient, checkStoredChannel } from "@/lib/bot-connection/guild-resources";
import { db } from "@/lib/db";
import { enqueueDecisionMessages } from "@/lib/notifications/enqueue";
import type { MessageSender } from "@/lib/notifications/sender";
import { runNotifyApplicant } from "@/lib/notifications/task";
import { PERMISSIONS, useDiscordFake, WORLD_IDS } from "~tests/fakes/discord";
import { createApplication, createOrgWithGuild, waitFor } from "~tests/helpers/applications";
import { startTestRunner, testNotificationSettings } from "~tests/helpers/job-runner";

const discord = useDiscordFake();
const SEND = "POST /channels/{channel_id}/messages";
const READ = "GET /channels/{channel_id}/messages";

let runner: Runner | undefined;
afterEach(async () => {
  await runner?.stop();
  runner = undefined;
});

/** A rejected application on the fake's guild with its decision messages written: the DM and, if asked, the log post. */
async function decided(options: { logChannel?: boolean } = {}) {
  const { organization } = await createOrgWithGuild({
    guildId: WORLD_IDS.guild,
    approvedRoleId: WORLD_IDS.approvedRole,
  });
  if (options.logChannel) {
    discord.world.roles.bot.permissions |= PERMISSIONS.SEND_MESSAGES;
    await db.applicantSettings.create({
      data: { organizationId: organization.id, logChannelId: WORLD_IDS.generalChannel },
    });
  }
  const app = await createApplication({ organizationId: organization.id, applicantDiscordId: WORLD_IDS.applicant });
  await db.application.update({ where: { id: app.id }, data: { status: "REJECTED" } });
  const ids = await db.$transaction((tx) =>
    enqueueDecisionMessages({ tx, organizationId: organization.id, applicationId: app.id, event: "rejected" }),
  );
  return { organizationId: organization.id, applicationId: app.id, ids };
}

/** The production sender, but the worker "dies" once Discord has answered: nothing after the post runs. */
function crashingAfterPost(sender: MessageSender): MessageSender {
  const crash = () => {
    throw new Error("worker died after Discord accepted the post");
  };
  return {
    sendDirect: async (input) => (await sender.sendDirect(input), crash()),
    postToChannel: async (input) => (await sender.postToChannel(input), crash()),
  };
}

/** The sender takes only resolved targets: the applicant signed in to apply. */
const applicantRecipient = async () =>
  (await checkDmRecipient({ guildId: WORLD_IDS.guild, userId: WORLD_IDS.applicant, signedIn: true }))!;

const rowsOf = (applicationId: string) =>
  db.applicantMessage.findMany({ where: { applicationId }, orderBy: { target: "asc" } });

describe("a decision message sent again after Discord accepted it", () => {
  it("the saved result was lost (the job died before finishing): the rerun gets the same DM and log post back", async () => {
    const { organizationId, applicationId, ids } = await decided({ logChannel: true });
    expect(ids).toHaveLength(2);
    const settings = testNotificationSettings();
    const crashing = { ...settings, sender: crashingAfterPost(settings.sender) };
    for (const messageId of ids) await runNotifyApplicant({ messageId, organizationId }, crashing);
    // Discord has both messages; our rows know nothing of them.
    expect(discord.model.dmsTo(WORLD_IDS.applicant)).toHaveLength(1);
    expect(discord.model.channelMessages(WORLD_IDS.generalChannel)).toHaveLength(1);
    expect((await rowsOf(applicationId)).map((r) => [r.status, r.discordMessageId])).toEqual([
      ["PENDING", null],
      ["PENDING", null],
    ]);

    for (const messageId of ids) await runNotifyApplicant({ messageId, organizationId }, settings);
    const dms = discord.model.dmsTo(WORLD_IDS.applicant);
    const posts = discord.model.channelMessages(WORLD_IDS.generalChannel);
    expect(dms).toHaveLength(1);
    expect(posts).toHaveLength(1);
    expect((await rowsOf(applicationId)).map((r) => [r.target, r.status, r.discordMessageId])).toEqual([
      ["dm", "SENT", dms[0]!.id],
      ["log", "SENT", posts[0]!.id],
    ]);
    // The first run posted; the second, a retry, found each message in its channel instead of posting again.
    expect(discord.countRequests(SEND)).toBe(2);
    expect(discord.countRequests(READ)).toBe(2);
  });

  it("Discord's answer was lost on the way back (dropped connection): the retry finds the DM already sent", async () => {
    const { applicationId } = await decided();
    discord.injectFault({ route: SEND, drop: true, afterHandling: true });
    runner = await startTestRunner();
    const row = await waitFor(
      () => db.applicantMessage.findFirstOrThrow({ where: { applicationId } }),
      (m) => m.status !== "PENDING",
    );
    const dms = discord.model.dmsTo(WORLD_IDS.applicant);
    expect(dms).toHaveLength(1);
    expect(row).toMatchObject({ status: "SENT", discordMessageId: dms[0]!.id });
    // The retry read the DM channel and found the message: no second post.
    expect(discord.countRequests(SEND)).toBe(1);
    expect(discord.countRequests(READ)).toBeGreaterThanOrEqual(1);
  });
});

describe("a decision message retried after Discord's nonce window", () => {
  it("the first posts reached Discord, their answers lost: the retry finds the DM and the log line, one of each", async () => {
    const { organizationId, applicationId, ids } = await decided({ logChannel: true });
    discord.injectFault({ route: SEND, drop: true, afterHandling: true, times: 2 });
    const settings = testNotificationSettings();
    for (const messageId of ids) await runNotifyApplicant({ messageId, organizationId }, settings);
    expect((await rowsOf(applicationId)).map((r) => [r.status, r.attempts])).toEqual([
      ["PENDING", 1],
      ["PENDING", 1],
    ]);
    // The retry comes after Discord has forgotten the nonce.
    discord.model.nonceWindowMs = 0;
    for (const messageId of ids) await runNotifyApplicant({ messageId, organizationId }, settings);
    const dms = discord.model.dmsTo(WORLD_IDS.applicant);
    const posts = discord.model.channelMessages(WORLD_IDS.generalChannel);
    expect(dms).toHaveLength(1);
    expect(posts).toHaveLength(1);
    expect((await rowsOf(applicationId)).map((r) => [r.target, r.status, r.discordMessageId])).toEqual([
      ["dm", "SENT", dms[0]!.id],
      ["log", "SENT", posts[0]!.id],
    ]);
    expect(discord.countRequests(SEND)).toBe(2);
  });

  it("another message of the bot's in the DM (another text) is not taken for this one", async () => {
    const { organizationId, applicationId, ids } = await decided();
    const settings = testNotificationSettings();
    // An earlier decision's DM, already in the channel; this message's first attempt never reached Discord.
    await settings.sender.sendDirect({
      recipient: await applicantRecipient(),
      content: "An earlier message",
      nonce: "earlier-message",
    });
    discord.injectFault({ route: SEND, status: 502 });
    await runNotifyApplicant({ messageId: ids[0]!, organizationId }, settings);
    await runNotifyApplicant({ messageId: ids[0]!, organizationId }, settings);
    const dms = discord.model.dmsTo(WORLD_IDS.applicant);
    expect(dms).toHaveLength(2);
    const [row] = await rowsOf(applicationId);
    expect(row).toMatchObject({ status: "SENT", discordMessageId: dms[1]!.id });
    expect(dms[1]!.content).toBe(row!.content);
  });
});

describe("a nonce-deduped decision message showing another text", () => {
  it("is edited to the text just sent (DM and log line)", async () => {
    const { organizationId } = await decided({ logChannel: true });
    const { sender } = testNotificationSettings();
    const dm = { recipient: await applicantRecipient(), nonce: "same-dm" };
    const first = await sender.sendDirect({ ...dm, content: "Your application is being looked at." });
    const again = await sender.sendDirect({ ...dm, content: "Welcome aboard!" });
    expect(again.messageId).toBe(first.messageId);
    expect(discord.model.dmsTo(WORLD_IDS.applicant).map((m) => m.content)).toEqual(["Welcome aboard!"]);

    const channel = await checkStoredChannel({
      organizationId,
      guildId: WORLD_IDS.guild,
      channelId: WORLD_IDS.generalChannel,
      use: "log",
    });
    const log = { channel: channel!, nonce: "same-log" };
    await sender.postToChannel({ ...log, content: "Alex applied." });
    await sender.postToChannel({ ...log, content: "Alex was approved." });
    expect(discord.model.channelMessages(WORLD_IDS.generalChannel).map((m) => m.content)).toEqual([
      "Alex was approved.",
    ]);
  });
});
