// The fake's Get Channel Messages, as Discord has it: newest first, `limit` 1-100 (50 by default), `before` the newest
// older than an id, `after` the ones right after an id (still newest first), no nonce on a read, nothing without Read
// Message History; and the nonce window tests can shorten.
import { describe, expect, it } from "vitest";
import { PERMISSIONS, useDiscordFake, WORLD_IDS } from "~tests/fakes/discord";

const discord = useDiscordFake();
const API = "https://discord.com/api/v10";

const auth = () => ({ Authorization: `Bot ${discord.world.platform.botToken}`, "Content-Type": "application/json" });

async function post(content: string, extra: Record<string, unknown> = {}): Promise<{ id: string; nonce?: unknown }> {
  const res = await fetch(`${API}/channels/${WORLD_IDS.generalChannel}/messages`, {
    method: "POST",
    headers: auth(),
    body: JSON.stringify({ content, ...extra }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { id: string };
}

async function read(query: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${API}/channels/${WORLD_IDS.generalChannel}/messages${query}`, { headers: auth() });
  return { status: res.status, body: await res.json() };
}

const contents = (body: unknown) => (body as { content: string }[]).map((m) => m.content);

describe("Get Channel Messages", () => {
  it("pages newest first with limit, before and after", async () => {
    const ids: string[] = [];
    for (const n of [1, 2, 3, 4, 5]) ids.push((await post(`m${n}`)).id);
    expect(contents((await read("")).body)).toEqual(["m5", "m4", "m3", "m2", "m1"]);
    expect(contents((await read("?limit=2")).body)).toEqual(["m5", "m4"]);
    expect(contents((await read(`?limit=2&before=${ids[3]}`)).body)).toEqual(["m3", "m2"]);
    // After: the two right after m1, not the two newest.
    expect(contents((await read(`?limit=2&after=${ids[0]}`)).body)).toEqual(["m3", "m2"]);
    expect(contents((await read(`?after=${ids[4]}`)).body)).toEqual([]);
  });

  it("refuses a limit outside 1-100 and an id that is not a snowflake with 50035", async () => {
    for (const query of ["?limit=0", "?limit=101", "?limit=x", "?after=abc"]) {
      const { status, body } = await read(query);
      expect(status).toBe(400);
      expect(body).toMatchObject({ code: 50035 });
    }
  });

  it("does not return the nonce a message was created with (only the create's answer echoes it)", async () => {
    const created = await post("with nonce", { nonce: "abc", enforce_nonce: true });
    expect(created.nonce).toBe("abc");
    const [message] = (await read("")).body as Record<string, unknown>[];
    expect(message).toMatchObject({ id: created.id, content: "with nonce" });
    expect(message).not.toHaveProperty("nonce");
  });

  it("answers no messages (200, empty) to a bot without Read Message History", async () => {
    await post("hidden");
    const everyone = discord.world.guild.roles.get(discord.world.guild.id)!;
    everyone.permissions &= ~PERMISSIONS.READ_MESSAGE_HISTORY;
    expect(await read("")).toEqual({ status: 200, body: [] });
  });
});

describe("the nonce window", () => {
  it("is the model's nonceWindowMs: past it the same nonce posts again", async () => {
    const body = { nonce: "same", enforce_nonce: true };
    const first = await post("once", body);
    expect((await post("once", body)).id).toBe(first.id);
    discord.model.nonceWindowMs = 0;
    expect((await post("once", body)).id).not.toBe(first.id);
    expect(discord.model.channelMessages(WORLD_IDS.generalChannel)).toHaveLength(2);
  });
});
