// The review message's first post, when an earlier attempt reached Discord but its answer was lost (issue 24, items
// 2 and 5): a retry adopts that message, however late it comes, and makes it show the application's current state.
// Within Discord's nonce window the retry's post gets the first message back (with the state it was posted with);
// past it only the channel's history finds the message.
import type { Runner } from "graphile-worker";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { updateApplicationStatus } from "@/lib/applications/decisions/review";
import { db } from "@/lib/db";
import { resetDiscordClients } from "@/lib/discord/client";
import { snowflakeFromTimestamp, snowflakeTimestamp } from "@/lib/discord/ids";
import { reviewCustomId } from "@/lib/review-channel/custom-id";
import { runSyncReviewMessage } from "@/lib/review-channel/sync-task";
import { PERMISSIONS, useDiscordFake } from "~tests/fakes/discord";
import { waitFor } from "~tests/helpers/applications";
import {
  buttonIds,
  messageText,
  REVIEW_SETTINGS,
  reviewWorld,
  startReviewRunner,
  submit,
  syncMessage,
} from "~tests/helpers/discord-review";

const discord = useDiscordFake();
const POST_MESSAGE = "POST /channels/{channel_id}/messages";
const READ_MESSAGES = "GET /channels/{channel_id}/messages";
/** The review job's later retries come minutes apart (2.5 to 18), well past Discord's nonce window. */
const LATER_RETRY_MS = 18 * 60_000;

beforeEach(() => resetDiscordClients());

let runner: Runner | undefined;
afterEach(async () => {
  await runner?.stop();
  runner = undefined;
});

/** A submitted application whose first post reached Discord, the answer lost on the way back. */
async function firstPostLost() {
  const { organization, world, admin } = await reviewWorld(discord);
  const application = await submit(organization.id, world.applicant.id);
  discord.injectFault({ route: POST_MESSAGE, drop: true, afterHandling: true });
  await expect(
    runSyncReviewMessage({ organizationId: organization.id, applicationId: application.id }, REVIEW_SETTINGS),
  ).rejects.toThrow();
  const channelId = world.channels.general.id;
  const [posted] = discord.model.channelMessages(channelId);
  expect(buttonIds(posted!)).toEqual([
    reviewCustomId("approve", application.id),
    reviewCustomId("reject", application.id),
  ]);
  const reject = () =>
    updateApplicationStatus({
      applicationId: application.id,
      organizationId: organization.id,
      status: "REJECTED",
      reviewerId: admin.id,
    });
  return { organizationId: organization.id, applicationId: application.id, channelId, reject };
}

describe("a review post whose first answer was lost", () => {
  it("a retry carrying the decision: the first message is edited to show it, no buttons", async () => {
    const { organizationId, applicationId, channelId, reject } = await firstPostLost();
    await reject();
    const row = await syncMessage(organizationId, applicationId);
    const messages = discord.model.channelMessages(channelId);
    expect(messages).toHaveLength(1);
    expect(row.messageId).toBe(messages[0]!.id);
    expect(buttonIds(messages[0]!)).toEqual([]);
    expect(messageText(messages[0]!)).toContain("Rejected by");
    expect(messageText(messages[0]!)).not.toContain("Waiting for review");
    const { version } = await db.application.findUniqueOrThrow({ where: { id: applicationId } });
    expect(row.shownVersion).toBe(version);
  });

  it("a retry within the nonce window that cannot read the channel: Discord answers the first message, which is edited", async () => {
    const { organizationId, applicationId, channelId, reject } = await firstPostLost();
    await reject();
    // Without Read Message History Discord answers an empty history: only the nonce finds the message.
    const everyone = discord.world.guild.roles.get(discord.world.guild.id)!;
    everyone.permissions &= ~PERMISSIONS.READ_MESSAGE_HISTORY;
    const row = await syncMessage(organizationId, applicationId);
    const messages = discord.model.channelMessages(channelId);
    expect(messages.map((m) => m.id)).toEqual([row.messageId]);
    expect(discord.countRequests(POST_MESSAGE)).toBe(2);
    expect(buttonIds(messages[0]!)).toEqual([]);
    expect(messageText(messages[0]!)).toContain("Rejected by");
  });

  it("a retry after the nonce window: the post is found in the channel, not posted again", async () => {
    const { organizationId, applicationId, channelId } = await firstPostLost();
    discord.advanceTime(LATER_RETRY_MS);
    const row = await syncMessage(organizationId, applicationId);
    const messages = discord.model.channelMessages(channelId);
    expect(messages.map((m) => m.id)).toEqual([row.messageId]);
    expect(discord.countRequests(POST_MESSAGE)).toBe(1);
    expect(discord.countRequests(READ_MESSAGES)).toBe(1);
  });

  it("a retry after the nonce window carrying the decision: one message, showing the decision", async () => {
    const { organizationId, applicationId, channelId, reject } = await firstPostLost();
    await reject();
    discord.model.nonceWindowMs = 0;
    const row = await syncMessage(organizationId, applicationId);
    const messages = discord.model.channelMessages(channelId);
    expect(messages.map((m) => m.id)).toEqual([row.messageId]);
    expect(buttonIds(messages[0]!)).toEqual([]);
    expect(messageText(messages[0]!)).toContain("Rejected by");
  });

  it("a busy channel: the look pages past other posts made since the first attempt to find it", async () => {
    const { organizationId, applicationId, channelId } = await firstPostLost();
    // 150 posts by the bot in the half minute before ours reached Discord: more than one page of history.
    const [ours] = discord.model.channelMessages(channelId);
    const start = BigInt(snowflakeFromTimestamp(new Date(snowflakeTimestamp(ours!.id).getTime() - 30_000)));
    for (let n = 0n; n < 150n; n++) {
      const id = String(start + n);
      discord.model.messages.set(id, {
        id,
        channelId,
        guildId: discord.world.guild.id,
        authorId: discord.world.platform.botUserId,
        content: `another post ${n}`,
        embeds: [],
        components: [],
        createdAt: new Date(discord.model.now()).toISOString(),
        editedAt: null,
      });
    }
    discord.model.nonceWindowMs = 0;
    const row = await syncMessage(organizationId, applicationId);
    expect(row.messageId).toBe(ours!.id);
    expect(discord.model.channelMessages(channelId)).toHaveLength(151);
    expect(discord.countRequests(POST_MESSAGE)).toBe(1);
    expect(discord.countRequests(READ_MESSAGES)).toBe(2);
  });

  it("through the job runner: the post's answer lost, the decision taken, graphile-worker's retry past the window shows it in one message", async () => {
    const { organization, world, admin } = await reviewWorld(discord);
    const application = await submit(organization.id, world.applicant.id);
    discord.injectFault({ route: POST_MESSAGE, drop: true, afterHandling: true });
    discord.model.nonceWindowMs = 0;
    runner = await startReviewRunner();
    const channelId = world.channels.general.id;
    await waitFor(
      async () => discord.requests(POST_MESSAGE).map((r) => r.status),
      (statuses) => statuses.includes("dropped"),
    );
    await updateApplicationStatus({
      applicationId: application.id,
      organizationId: organization.id,
      status: "REJECTED",
      reviewerId: admin.id,
    });
    const { version } = await db.application.findUniqueOrThrow({ where: { id: application.id } });
    const row = await waitFor(
      () => db.applicationReviewMessage.findUniqueOrThrow({ where: { applicationId: application.id } }),
      (r) => r.messageId !== null && r.shownVersion === version,
      30_000,
    );
    const messages = discord.model.channelMessages(channelId);
    expect(messages.map((m) => m.id)).toEqual([row.messageId]);
    expect(buttonIds(messages[0]!)).toEqual([]);
    expect(messageText(messages[0]!)).toContain("Rejected by");
  });

  it("a first attempt does not read the channel (the look costs a call only on retries)", async () => {
    const { organization, world } = await reviewWorld(discord);
    const application = await submit(organization.id, world.applicant.id);
    const row = await syncMessage(organization.id, application.id);
    expect(row.messageId).toBeTruthy();
    expect(discord.countRequests(READ_MESSAGES)).toBe(0);
    expect(discord.countRequests(POST_MESSAGE)).toBe(1);
  });
});
