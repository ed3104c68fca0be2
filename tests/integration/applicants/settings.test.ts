// Settings → Applicants (issue 14): templates checked for unknown placeholders and length, an invite must be a
// Discord invite, ids must be snowflakes; bad input is a 400 in words that writes nothing; saves are audited; the
// log-channel picker lists the guild's text channels.
import { expect, it } from "vitest";
import { GET as channelsRoute } from "@/app/api/orgs/[slug]/applicant-settings/channels/route";
import { POST as inviteRoute } from "@/app/api/orgs/[slug]/applicant-settings/invite/route";
import { GET as getRoute, PUT as putRoute } from "@/app/api/orgs/[slug]/applicant-settings/route";
import { db } from "@/lib/db";
import { useDiscordFake, WORLD_IDS } from "~tests/fakes/discord";
import { CREATE_INSTANT_INVITE, invitesOf } from "~tests/fakes/discord/invites";
import { createOrgWithMember, dashboardRequest, paramsOf } from "~tests/helpers/auth";

const discord = useDiscordFake();

type Body = {
  settings?: Record<string, unknown>;
  error?: { code: string; details: { path: string; message: string }[] };
};

it("refuses bad templates, invites and ids with words per field, writing nothing; a good save is audited", async () => {
  const { organization, cookie } = await createOrgWithMember("ADMIN");
  const slug = organization.slug;
  const put = async (body: unknown) => {
    const response = await putRoute(
      dashboardRequest("PUT", `/api/orgs/${slug}/applicant-settings`, { cookie, body }),
      paramsOf({ slug }),
    );
    return { status: response.status, body: (await response.json()) as Body };
  };
  const bad = [
    [{ rejectTemplate: "Hi {nickname}" }, "rejectTemplate", /Unknown placeholder \{nickname\}/],
    [{ approveTemplate: "x".repeat(1501) }, "approveTemplate", /2000/],
    [{ inviteUrl: "https://evil.example/join" }, "inviteUrl", /Discord invite link/],
    [{ blockedUserIds: ["123"] }, "blockedUserIds.0", /Discord id/],
    [{ minAccountAgeDays: -1 }, "minAccountAgeDays", /.+/],
    [{ logChannelId: "general" }, "logChannelId", /Discord id/],
  ] as const;
  for (const [input, path, words] of bad) {
    const { status, body } = await put(input);
    expect(status, JSON.stringify(input)).toBe(400);
    expect(body.error!.code).toBe("validation_failed");
    const problem = body.error!.details.find((d) => d.path === path);
    expect(problem?.message, JSON.stringify(body)).toMatch(words);
  }
  expect(await db.applicantSettings.count()).toBe(0);

  const saved = await put({
    rejectTemplate: "Sorry {applicant}: {reason}",
    approveTemplate: "",
    inviteUrl: "https://discord.gg/acme123",
    blockedUserIds: [WORLD_IDS.outsider, WORLD_IDS.outsider],
    minAccountAgeDays: 14,
  });
  expect(saved.status).toBe(200);
  expect(saved.body.settings).toMatchObject({
    rejectTemplate: "Sorry {applicant}: {reason}",
    approveTemplate: null, // empty: the default
    inviteUrl: "https://discord.gg/acme123",
    blockedUserIds: [WORLD_IDS.outsider],
    minAccountAgeDays: 14,
    rejectReasonRequired: false,
  });
  const read = (await (
    await getRoute(dashboardRequest("GET", `/api/orgs/${slug}/applicant-settings`, { cookie }), paramsOf({ slug }))
  ).json()) as Body;
  expect(read.settings).toEqual(saved.body.settings);
  const audit = await db.auditEvent.findFirstOrThrow({ where: { action: "applicant_settings.update" } });
  expect(audit.metadata).toMatchObject({ blockedUsers: 1 });
});

it("lists the connected guild's text channels for the log channel", async () => {
  const { organization, cookie } = await createOrgWithMember("ADMIN");
  await db.discordConnection.create({
    data: { organizationId: organization.id, guildId: WORLD_IDS.guild, guildName: "Demo Guild", state: "CONNECTED" },
  });
  const slug = organization.slug;
  const response = await channelsRoute(
    dashboardRequest("GET", `/api/orgs/${slug}/applicant-settings/channels`, { cookie }),
    paramsOf({ slug }),
  );
  expect(response.status).toBe(200);
  const { channels } = (await response.json()) as { channels: { id: string; name: string }[] };
  expect(channels.map((c) => c.name)).toEqual(["general", "rules"]);
  expect(discord.countRequests("GET /guilds/{guild_id}/channels")).toBe(1);
});

it("the bot creates the invite link for a channel it may invite to; without Create Invite it says so", async () => {
  const { organization, cookie } = await createOrgWithMember("ADMIN");
  await db.discordConnection.create({
    data: { organizationId: organization.id, guildId: WORLD_IDS.guild, guildName: "Demo Guild", state: "CONNECTED" },
  });
  const slug = organization.slug;
  const create = (channelId: string) =>
    inviteRoute(
      dashboardRequest("POST", `/api/orgs/${slug}/applicant-settings/invite`, { cookie, body: { channelId } }),
      paramsOf({ slug }),
    );
  const refused = await create(WORLD_IDS.generalChannel);
  expect(refused.status).toBe(409);
  expect(((await refused.json()) as Body).error!.code).toBe("missing_permissions");
  expect(await db.applicantSettings.count()).toBe(0);

  const role = discord.model.addRole(WORLD_IDS.guild, { name: "invites", permissions: CREATE_INSTANT_INVITE });
  discord.world.guild.members.get(discord.world.platform.botUserId)!.roleIds.add(role.id);
  const created = await create(WORLD_IDS.generalChannel);
  expect(created.status).toBe(200);
  const [invite] = invitesOf(discord.model);
  expect(invite).toMatchObject({ channelId: WORLD_IDS.generalChannel, maxAge: 0, maxUses: 0 });
  expect(((await created.json()) as Body).settings!.inviteUrl).toBe(`https://discord.gg/${invite!.code}`);
  expect((await db.applicantSettings.findUniqueOrThrow({ where: { organizationId: organization.id } })).inviteUrl).toBe(
    `https://discord.gg/${invite!.code}`,
  );
});
