// The fake's Create Message nonce, as Discord documents it: with enforce_nonce, the same author's nonce in the same
// channel within a few minutes answers the message created then and creates nothing; without it the nonce is only
// echoed. And the fault that loses an answer after Discord did the work, which the job tests use.
import { describe, expect, it } from "vitest";
import { PERMISSIONS, useDiscordFake, WORLD_IDS } from "~tests/fakes/discord";
import { NONCE_DEDUPE_WINDOW_MS } from "~tests/fakes/discord/messages";

const discord = useDiscordFake();
const API = "https://discord.com/api/v10";
const POST_MESSAGE = "POST /channels/{channel_id}/messages";

type Sent = { status: number; body: { id: string; nonce?: unknown; code?: number; errors?: unknown } };

async function post(channelId: string, body: Record<string, unknown>, token = discord.world.platform.botToken) {
  const res = await fetch(`${API}/channels/${channelId}/messages`, {
    method: "POST",
    headers: { Authorization: `Bot ${token}`, "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Sent["body"] };
}

/** #general, where the platform bot may post. */
function general(): string {
  discord.world.roles.bot.permissions |= PERMISSIONS.SEND_MESSAGES;
  return WORLD_IDS.generalChannel;
}

const messagesIn = (channelId: string) => discord.model.channelMessages(channelId);

describe("Create Message with a nonce", () => {
  it("enforce_nonce: the same nonce again answers the first message (200, same id) and creates nothing", async () => {
    const channel = general();
    const first = await post(channel, { content: "hello", nonce: "abc", enforce_nonce: true });
    const again = await post(channel, { content: "hello", nonce: "abc", enforce_nonce: true });
    expect(first).toMatchObject({ status: 200, body: { nonce: "abc" } });
    expect(again).toMatchObject({ status: 200, body: { id: first.body.id, nonce: "abc" } });
    expect(messagesIn(channel).map((m) => m.id)).toEqual([first.body.id]);
  });

  it("an integer nonce dedupes the same way", async () => {
    const channel = general();
    const first = await post(channel, { content: "hello", nonce: 1234567890123, enforce_nonce: true });
    const again = await post(channel, { content: "hello", nonce: 1234567890123, enforce_nonce: true });
    expect(again.body.id).toBe(first.body.id);
    expect(messagesIn(channel)).toHaveLength(1);
  });

  it("in another channel (a DM), by another author, or with another nonce, it is a new message", async () => {
    const channel = general();
    const body = { content: "hello", nonce: "abc", enforce_nonce: true };
    const first = await post(channel, body);
    const dm = discord.model.openDm(discord.world.platform.botUserId, WORLD_IDS.applicant);
    const inDm = await post(dm.id, body);
    expect(inDm.status).toBe(200);
    expect(inDm.body.id).not.toBe(first.body.id);

    const tenant = discord.world.tenantApplication;
    discord.model.addBotToGuild(discord.world.guild.id, tenant.id, {
      permissions: PERMISSIONS.VIEW_CHANNEL | PERMISSIONS.SEND_MESSAGES,
    });
    const otherAuthor = await post(channel, body, tenant.botToken);
    expect(otherAuthor.status).toBe(200);
    const otherNonce = await post(channel, { ...body, nonce: "abd" });
    expect(new Set([first.body.id, otherAuthor.body.id, otherNonce.body.id]).size).toBe(3);
    expect(messagesIn(channel)).toHaveLength(3);
    expect(messagesIn(dm.id)).toHaveLength(1);
  });

  it("without enforce_nonce (or with false) the nonce is only echoed: two messages", async () => {
    const channel = general();
    const a = await post(channel, { content: "hello", nonce: "abc" });
    const b = await post(channel, { content: "hello", nonce: "abc", enforce_nonce: false });
    expect([a.body.nonce, b.body.nonce]).toEqual(["abc", "abc"]);
    expect(a.body.id).not.toBe(b.body.id);
    expect(messagesIn(channel)).toHaveLength(2);
  });

  it("once the dedupe window has passed, the same nonce creates a new message", async () => {
    const channel = general();
    const body = { content: "hello", nonce: "abc", enforce_nonce: true };
    const first = await post(channel, body);
    discord.advanceTime(NONCE_DEDUPE_WINDOW_MS - 1_000);
    expect((await post(channel, body)).body.id).toBe(first.body.id);
    discord.advanceTime(2_000);
    expect((await post(channel, body)).body.id).not.toBe(first.body.id);
    expect(messagesIn(channel)).toHaveLength(2);
  });

  it("a deleted message is not answered again", async () => {
    const channel = general();
    const body = { content: "hello", nonce: "abc", enforce_nonce: true };
    const first = await post(channel, body);
    discord.model.messages.delete(first.body.id);
    expect((await post(channel, body)).body.id).not.toBe(first.body.id);
  });

  it("refuses a string nonce over 25 characters, a fractional one and a non-boolean enforce_nonce with 50035", async () => {
    const channel = general();
    const tooLong = await post(channel, { content: "hello", nonce: "x".repeat(26), enforce_nonce: true });
    expect(tooLong).toEqual({
      status: 400,
      body: {
        code: 50035,
        message: "Invalid Form Body",
        errors: { nonce: { _errors: [{ code: "BASE_TYPE_MAX_LENGTH", message: "Must be 25 or fewer in length." }] } },
      },
    });
    expect((await post(channel, { content: "hello", nonce: 1.5 })).body.code).toBe(50035);
    expect((await post(channel, { content: "hello", nonce: { a: 1 } })).body.code).toBe(50035);
    expect((await post(channel, { content: "hello", nonce: "ok", enforce_nonce: "yes" })).body.code).toBe(50035);
    expect((await post(channel, { content: "hello", nonce: "x".repeat(25), enforce_nonce: true })).status).toBe(200);
    expect(messagesIn(channel)).toHaveLength(1);
  });
});

describe("a fault after handling", () => {
  it("the message is created but the caller sees the dropped connection (or the forced status)", async () => {
    const channel = general();
    discord.injectFault({ route: POST_MESSAGE, drop: true, afterHandling: true });
    await expect(post(channel, { content: "lost answer" })).rejects.toThrow();
    expect(messagesIn(channel).map((m) => m.content)).toEqual(["lost answer"]);

    discord.injectFault({ route: POST_MESSAGE, status: 502, afterHandling: true });
    expect((await post(channel, { content: "bad gateway" })).status).toBe(502);
    expect(messagesIn(channel)).toHaveLength(2);
    expect(discord.requests(POST_MESSAGE).map((r) => r.status)).toEqual(["dropped", 502]);
  });
});
