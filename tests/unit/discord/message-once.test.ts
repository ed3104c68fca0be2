// postMessageOnce's two rules on a stub client: what Discord adds to a message (ids, types, trimmed text) is not a
// difference, a different state is; a first attempt only posts, a retry reads first, and the edit sends the body's
// visible parts without the nonce.
import type { APIMessage } from "discord-api-types/v10";
import { describe, expect, it, vi } from "vitest";
import { postMessageOnce, sameVisibleMessage } from "@/lib/discord/message-once";
import { isReviewMessageOf, renderReviewMessage, type ReviewMessageView } from "@/lib/review-channel/render";

const APPLICATION = "6f1c1f43-5ad1-4a8e-9a53-0f6d0a7f2b10";
const view = (status: ReviewMessageView["status"]): ReviewMessageView => ({
  applicationId: APPLICATION,
  dashboardUrl: `http://localhost:3000/dashboard/demo/applications/${APPLICATION}`,
  applicantDiscordId: "1100000000000000003",
  applicantName: "Alex Applicant",
  formName: "Default",
  answers: [{ label: "Why?", value: "Raids " }],
  submittedAt: new Date("2026-12-01T10:00:00Z"),
  status,
  roleAssignmentStatus: "NOT_APPLICABLE",
  roleErrorMessage: null,
  decidedBy: status === "PENDING" ? null : { name: "Demo Admin", discordUserId: null },
  decidedAt: status === "PENDING" ? null : new Date("2026-12-01T11:00:00Z"),
  reason: null,
  now: new Date("2026-12-07T10:00:00Z"),
});

/** The body as Discord answers it: ids and types added, fields with inline, text trimmed. */
function asDiscordReturns(body: ReturnType<typeof renderReviewMessage>, id = "1300000000000000001"): APIMessage {
  return {
    id,
    channel_id: "1200000000000000001",
    author: { id: "1100000000000000009", username: "bot", bot: true },
    content: body.content,
    embeds: body.embeds.map((e) => ({
      ...e,
      type: "rich",
      description: e.description?.trim(),
      fields: e.fields?.map((f) => ({ ...f, value: f.value.trim(), inline: false })),
    })),
    components: body.components.map((row, i) => ({
      ...row,
      id: i + 1,
      components: row.components.map((c, j) => ({ ...c, id: 10 + j })),
    })),
  } as unknown as APIMessage;
}

function stubClient(answer: APIMessage, history: APIMessage[] = []) {
  return {
    createMessage: vi.fn(async () => answer),
    editMessage: vi.fn(async () => answer),
    getChannelMessages: vi.fn(async () => history),
  };
}

describe("sameVisibleMessage", () => {
  it("Discord's additions are not a difference; another state (status, buttons) is", () => {
    const pending = renderReviewMessage(view("PENDING"));
    expect(sameVisibleMessage(pending, asDiscordReturns(pending))).toBe(true);
    const rejected = renderReviewMessage(view("REJECTED"));
    expect(sameVisibleMessage(rejected, asDiscordReturns(pending))).toBe(false);
    expect(sameVisibleMessage({ content: "Welcome" }, { content: "Welcome", embeds: [], components: [] })).toBe(true);
    expect(sameVisibleMessage({ content: "Welcome" }, { content: "Sorry" })).toBe(false);
  });
});

describe("postMessageOnce", () => {
  const common = { channelId: "1200000000000000001", nonce: "n".repeat(24) };

  it("a first attempt posts with the nonce and reads nothing; an answer showing the body is not edited", async () => {
    const body = renderReviewMessage(view("PENDING"));
    const client = stubClient(asDiscordReturns(body));
    const result = await postMessageOnce({ ...common, client, body, earlierAttemptAt: null, isOurs: () => true });
    expect(result).toEqual({ messageId: "1300000000000000001", how: "posted", edited: false });
    expect(client.getChannelMessages).not.toHaveBeenCalled();
    expect(client.createMessage).toHaveBeenCalledWith(common.channelId, {
      ...body,
      nonce: common.nonce,
      enforce_nonce: true,
    });
    expect(client.editMessage).not.toHaveBeenCalled();
  });

  it("the nonce answers the first message with an older state: it is edited to the body, without the nonce", async () => {
    const body = renderReviewMessage(view("REJECTED"));
    const client = stubClient(asDiscordReturns(renderReviewMessage(view("PENDING"))));
    const result = await postMessageOnce({ ...common, client, body, earlierAttemptAt: null, isOurs: () => true });
    expect(result.edited).toBe(true);
    expect(client.editMessage).toHaveBeenCalledWith(common.channelId, "1300000000000000001", {
      content: body.content,
      embeds: body.embeds,
      components: body.components,
      allowed_mentions: body.allowed_mentions,
    });
  });

  it("a retry reads the history after the earlier attempt and adopts its message instead of posting", async () => {
    const body = renderReviewMessage(view("PENDING"));
    const other = { ...asDiscordReturns(body, "1300000000000000005"), embeds: [] } as APIMessage;
    const ours = asDiscordReturns(body, "1300000000000000003");
    const client = stubClient(asDiscordReturns(body), [other, ours]);
    const since = new Date("2026-12-07T10:00:00Z");
    const result = await postMessageOnce({
      ...common,
      client,
      body,
      earlierAttemptAt: since,
      isOurs: (m) => isReviewMessageOf(APPLICATION, m),
    });
    expect(result).toEqual({ messageId: "1300000000000000003", how: "found", edited: false });
    expect(client.createMessage).not.toHaveBeenCalled();
    const [, query] = client.getChannelMessages.mock.calls[0] as unknown as [string, { after: string; limit: number }];
    expect(query.limit).toBe(100);
    // From a minute before the earlier attempt (clock slack), as a snowflake.
    expect(Number(BigInt(query.after) >> 22n) + 1_420_070_400_000).toBe(since.getTime() - 60_000);
  });
});
