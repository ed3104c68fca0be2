import { createOrgOnDemoGuild } from "~tests/helpers/discord";
import { describe, expect, it } from "vitest";
import { GET, PUT } from "@/app/api/orgs/[slug]/bot/roles/route";
import { db } from "@/lib/db";
import { createOrgWithMember } from "~tests/helpers/auth";
import { useDiscordFake } from "~tests/fakes/discord";
import { WORLD_IDS } from "~tests/fakes/discord/world";

const fake = useDiscordFake();
const ORIGIN = "http://localhost:3000";

async function connectedOrg() {
  return createOrgOnDemoGuild({ role: "OWNER" });
}

const get = (slug: string, cookie: string) =>
  GET(new Request(`${ORIGIN}/api/orgs/${slug}/bot/roles`, { headers: { cookie } }), {
    params: Promise.resolve({ slug }),
  });
const put = (slug: string, cookie: string, body: unknown) =>
  PUT(
    new Request(`${ORIGIN}/api/orgs/${slug}/bot/roles`, {
      method: "PUT",
      headers: { cookie, origin: ORIGIN, "content-type": "application/json" },
      body: JSON.stringify(body),
    }),
    { params: Promise.resolve({ slug }) },
  );

type Settings = {
  settings: {
    approvedRoleId: string;
    assignableRoleIds: string[];
    roles: { id: string; name: string; assignable: boolean; reason?: string }[];
  };
};

describe("/api/orgs/[slug]/bot/roles", () => {
  it("lists the guild's roles with which ones the bot can give", async () => {
    const { organization, cookie } = await connectedOrg();
    const response = await get(organization.slug, cookie);
    expect(response.status).toBe(200);
    const { settings } = (await response.json()) as Settings;
    const byName = new Map(settings.roles.map((r) => [r.name, r]));
    expect(settings.approvedRoleId).toBe(WORLD_IDS.approvedRole);
    expect(byName.get("Approved")?.assignable).toBe(true);
    expect(byName.get("Member")?.assignable).toBe(true);
    expect(byName.get("Staff")).toMatchObject({ assignable: false, reason: "above the bot's role" });
    expect(byName.get("@everyone")?.assignable).toBe(false);
  });

  it("saves the approved role and assignable roles, audited; refuses roles the bot cannot give and writes nothing", async () => {
    const { organization, cookie, user } = await connectedOrg();
    const saved = await put(organization.slug, cookie, {
      approvedRoleId: WORLD_IDS.memberRole,
      assignableRoleIds: [WORLD_IDS.approvedRole, WORLD_IDS.memberRole],
    });
    expect(saved.status).toBe(200);
    const row = await db.discordConnection.findUniqueOrThrow({ where: { organizationId: organization.id } });
    expect(row).toMatchObject({
      approvedRoleId: WORLD_IDS.memberRole,
      approvedRoleName: "Member",
      assignableRoleIds: [WORLD_IDS.approvedRole],
    });
    const audit = await db.auditEvent.findFirstOrThrow({
      where: { organizationId: organization.id, action: "bot.roles_update" },
    });
    expect(audit.actorUserId).toBe(user.id);

    for (const body of [
      { approvedRoleId: WORLD_IDS.staffRole },
      { approvedRoleId: WORLD_IDS.memberRole, assignableRoleIds: [WORLD_IDS.otherGuild] },
      { approvedRoleId: "123" },
    ]) {
      expect((await put(organization.slug, cookie, body)).status, JSON.stringify(body)).toBe(400);
    }
    expect(
      (await db.discordConnection.findUniqueOrThrow({ where: { organizationId: organization.id } })).approvedRoleId,
    ).toBe(WORLD_IDS.memberRole);
  });

  it("answers 409 without a connected server, 502 when Discord fails, 403 to a reviewer", async () => {
    const bare = await createOrgWithMember("OWNER");
    expect((await get(bare.organization.slug, bare.cookie)).status).toBe(409);
    const { organization, cookie } = await connectedOrg();
    fake.injectFault({ route: "GET /guilds/{guild_id}/roles", status: 500, times: 5 });
    expect((await get(organization.slug, cookie)).status).toBe(502);
    const reviewer = await createOrgWithMember("REVIEWER");
    expect((await get(reviewer.organization.slug, reviewer.cookie)).status).toBe(403);
  });
});
