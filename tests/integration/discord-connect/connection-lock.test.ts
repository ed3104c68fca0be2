import { expect, it } from "vitest";
import { db } from "@/lib/db";
import { DiscordConnectionLock } from "@/lib/discord/connection-lock";
import { createTestOrganization } from "~tests/helpers/auth";

const row = (organizationId: string) => db.discordConnection.findUniqueOrThrow({ where: { organizationId } });

it("lets exactly one of ten concurrent acquirers win, on one row", async () => {
  const org = await createTestOrganization();
  const locks = Array.from({ length: 10 }, () => new DiscordConnectionLock(org.id));
  const results = await Promise.all(locks.map((l) => l.acquire()));
  expect(results.filter((r) => r.acquired)).toHaveLength(1);
  expect(results.filter((r) => !r.acquired && r.reason === "connection_in_progress")).toHaveLength(9);
  const winner = locks[results.findIndex((r) => r.acquired)]!;
  expect(await db.discordConnection.count({ where: { organizationId: org.id } })).toBe(1);
  expect(await row(org.id)).toMatchObject({ state: "CONNECTING", lockToken: winner.lockToken });
});

it("takes over a CONNECTING row older than two minutes, after which the old holder can neither heartbeat nor release", async () => {
  const org = await createTestOrganization();
  const old = new DiscordConnectionLock(org.id);
  expect(await old.acquire()).toEqual({ acquired: true });
  const fresh = new DiscordConnectionLock(org.id);
  expect(await fresh.acquire()).toEqual({ acquired: false, reason: "connection_in_progress" });

  await db.discordConnection.update({
    where: { organizationId: org.id },
    data: { stateUpdatedAt: new Date(Date.now() - 121_000) },
  });
  expect(await fresh.acquire()).toEqual({ acquired: true });
  expect(await old.heartbeat()).toBe(false);
  expect(await old.release(true)).toBe(false);
  expect(await row(org.id)).toMatchObject({ state: "CONNECTING", lockToken: fresh.lockToken });
  expect(await fresh.release(true)).toBe(true);
  expect(await row(org.id)).toMatchObject({ state: "CONNECTED", lockToken: null });
});

it("heartbeat keeps a lock fresh; release as ERROR lets a retry in at once; CONNECTED must disconnect first", async () => {
  const org = await createTestOrganization();
  const lock = new DiscordConnectionLock(org.id, { staleAfterMs: 300 });
  expect((await lock.acquire()).acquired).toBe(true);
  for (let i = 0; i < 4; i++) {
    await new Promise((r) => setTimeout(r, 120));
    expect(await lock.heartbeat()).toBe(true);
  }
  // 480 ms after acquiring, but touched 0 ms ago: not stale.
  expect(await new DiscordConnectionLock(org.id, { staleAfterMs: 300 }).acquire()).toEqual({
    acquired: false,
    reason: "connection_in_progress",
  });
  // Control: the same wait without heartbeats makes a lock stale.
  const other = await createTestOrganization();
  expect((await new DiscordConnectionLock(other.id, { staleAfterMs: 300 }).acquire()).acquired).toBe(true);
  await new Promise((r) => setTimeout(r, 400));
  expect((await new DiscordConnectionLock(other.id, { staleAfterMs: 300 }).acquire()).acquired).toBe(true);

  expect(await lock.release(false, "discord_error")).toBe(true);
  expect(await row(org.id)).toMatchObject({ state: "ERROR", connectionError: "discord_error", lockToken: null });

  const retry = new DiscordConnectionLock(org.id);
  expect(await retry.acquire()).toEqual({ acquired: true });
  expect(await row(org.id)).toMatchObject({ state: "CONNECTING", connectionError: null });
  await retry.release(true);
  expect(await new DiscordConnectionLock(org.id).acquire()).toEqual({ acquired: false, reason: "already_connected" });
  expect(await db.discordConnection.count({ where: { organizationId: org.id } })).toBe(1);
});
