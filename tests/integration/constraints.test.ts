import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";

async function org(slug: string) {
  return db.organization.create({ data: { slug, name: slug } });
}

describe("data model constraints", () => {
  it("allows one Discord connection row per organization", async () => {
    const a = await org("alpha");
    await db.discordConnection.create({ data: { organizationId: a.id, guildId: "123456789012345678" } });
    await expect(
      db.discordConnection.create({ data: { organizationId: a.id, guildId: "223456789012345678" } }),
    ).rejects.toMatchObject({ code: "P2002" });
    expect(await db.discordConnection.count()).toBe(1);
  });

  it("does not let a guild be connected to two organizations", async () => {
    const a = await org("alpha");
    const b = await org("beta");
    await db.discordConnection.create({ data: { organizationId: a.id, guildId: "123456789012345678" } });
    await expect(
      db.discordConnection.create({ data: { organizationId: b.id, guildId: "123456789012345678" } }),
    ).rejects.toMatchObject({ code: "P2002" });
  });

  it("allows several organizations to be mid-connection with no guild yet", async () => {
    const a = await org("alpha");
    const b = await org("beta");
    await db.discordConnection.create({ data: { organizationId: a.id, state: "CONNECTING" } });
    await db.discordConnection.create({ data: { organizationId: b.id, state: "CONNECTING" } });
    expect(await db.discordConnection.count({ where: { guildId: null } })).toBe(2);
  });

  it("keeps one vault secret per organization, provider and type when the identifier is empty", async () => {
    const a = await org("alpha");
    const base = {
      organizationId: a.id,
      provider: "DISCORD_BOT",
      tokenType: "BOT_TOKEN",
      ciphertext: "x",
      keyVersion: 1,
    } as const;
    await db.vaultSecret.create({ data: base });
    await expect(db.vaultSecret.create({ data: base })).rejects.toMatchObject({ code: "P2002" });
    // A different identifier is a different secret.
    await db.vaultSecret.create({ data: { ...base, identifier: "webhook-2" } });
    expect(await db.vaultSecret.count()).toBe(2);
  });

  it("allows one open application per applicant per organization", async () => {
    const a = await org("alpha");
    const data = { organizationId: a.id, applicantDiscordId: "123456789012345678", applicantName: "Ann" };
    const first = await db.application.create({ data });
    await expect(db.application.create({ data })).rejects.toMatchObject({ code: "P2002" });
    await db.application.update({ where: { id: first.id }, data: { status: "REJECTED" } });
    await db.application.create({ data });
    expect(await db.application.count()).toBe(2);
  });
});
