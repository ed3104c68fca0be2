// A member added by Discord id shows their Discord name, asked of the organization's guild through its bot; someone
// not in the guild keeps the id placeholder, and a name from the person's own sign-in is never overwritten.
import { afterEach, expect, it } from "vitest";
import { db } from "@/lib/db";
import { resetDiscordClients } from "@/lib/discord/client";
import { placeholderName } from "@/lib/organizations/guild-member-name";
import { addMember, listMembers } from "@/lib/organizations/members";
import { useDiscordFake } from "~tests/fakes/discord";
import { seedConnectedGuild } from "~tests/helpers/discord";

const discord = useDiscordFake();

afterEach(() => resetDiscordClients());

async function connectedOrganization() {
  const { organization } = await seedConnectedGuild({ guildId: discord.world.guild.id });
  const owner = await db.user.create({ data: { discordUserId: discord.world.admin.id, name: "Demo Admin" } });
  await db.membership.create({ data: { userId: owner.id, organizationId: organization.id, role: "OWNER" } });
  return { organizationId: organization.id, actor: { userId: owner.id, role: "OWNER" as const } };
}

it("names a member added by id as the guild knows them, with one guild-member lookup", async () => {
  const scope = await connectedOrganization();
  const member = await addMember({ ...scope, discordUserId: discord.world.applicant.id, role: "REVIEWER" });
  expect(member.name).toBe("Alex Applicant");
  expect((await listMembers({ organizationId: scope.organizationId })).map((m) => m.name)).toEqual([
    "Demo Admin",
    "Alex Applicant",
  ]);
  expect(discord.requests("GET /guilds/{guild_id}/members/{user_id}")).toHaveLength(1);
});

it("keeps the placeholder for someone who is not in the guild, and adding still succeeds", async () => {
  const scope = await connectedOrganization();
  const member = await addMember({ ...scope, discordUserId: discord.world.outsider.id, role: "REVIEWER" });
  expect(member.name).toBe(placeholderName(discord.world.outsider.id));
});

it("never replaces a name the person's own sign-in gave, and asks Discord nothing then", async () => {
  const scope = await connectedOrganization();
  await db.user.create({ data: { discordUserId: discord.world.applicant.id, name: "Alex (signed in)" } });
  const member = await addMember({ ...scope, discordUserId: discord.world.applicant.id, role: "REVIEWER" });
  expect(member.name).toBe("Alex (signed in)");
  expect(discord.requests("GET /guilds/{guild_id}/members/{user_id}")).toHaveLength(0);
});

it("offers people in the guild to pick, by the start of their name, without bots", async () => {
  const scope = await connectedOrganization();
  const { searchGuildMembers } = await import("@/lib/organizations/guild-member-search");
  const found = await searchGuildMembers({ organizationId: scope.organizationId, query: "alex" });
  expect(found).toEqual([
    { discordUserId: discord.world.applicant.id, name: "Alex Applicant", username: "alex_applies" },
  ]);
  expect(await searchGuildMembers({ organizationId: scope.organizationId, query: "zz" })).toEqual([]);
  const bots = await searchGuildMembers({
    organizationId: scope.organizationId,
    query: discord.world.platform.name.slice(0, 3),
  });
  expect(bots.every((c) => c.discordUserId !== discord.world.platform.botUserId)).toBe(true);
});

it("says in words that the bot must be connected before people can be picked", async () => {
  const { organization } = await seedConnectedGuild({ guildId: discord.world.guild.id });
  await db.discordConnection.update({ where: { organizationId: organization.id }, data: { state: "DISCONNECTED" } });
  const { searchGuildMembers } = await import("@/lib/organizations/guild-member-search");
  await expect(searchGuildMembers({ organizationId: organization.id, query: "alex" })).rejects.toMatchObject({
    code: "guild_not_connected",
  });
});
