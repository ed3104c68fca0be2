// Issue 11 item 3: a role carrying dangerous permissions is never adopted at connect, picked, or granted by the
// assign-role route or an approval, unless an OWNER allowed that role; the job checks Discord's current permissions.
import type { Runner } from "graphile-worker";
import { createOrgOnDemoGuild } from "~tests/helpers/discord";
import { afterEach, describe, expect, it } from "vitest";
import { POST as assignRole } from "@/app/api/discord/assign-role/route";
import { PUT as putRoles } from "@/app/api/orgs/[slug]/bot/roles/route";
import { updateApplicationStatus } from "@/lib/applications/decisions/review";
import { db } from "@/lib/db";
import { dangerousPermissionsOf } from "@/lib/discord/permissions";
import { useDiscordFake, WORLD_IDS } from "~tests/fakes/discord";
import { PERMISSIONS } from "~tests/fakes/discord/model";
import {
  apiTokenFor,
  createApplication,
  createOrgWithGuild,
  createReviewer,
  waitFor,
} from "~tests/helpers/applications";
import { addMember, createOrgWithMember, createUserWithSession, paramsOf, TEST_ORIGIN } from "~tests/helpers/auth";
import { connectBot } from "~tests/helpers/bot-connect";
import { startTestRunner } from "~tests/helpers/job-runner";

const discord = useDiscordFake();
const PUT_ROLE = "PUT /guilds/{guild_id}/members/{user_id}/roles/{role_id}";

let runner: Runner | undefined;
afterEach(async () => {
  await runner?.stop();
  runner = undefined;
});

const errorOf = async (response: Response) => ((await response.json()) as { error: { code: string } }).error.code;

function putRoleSettings(slug: string, cookie: string, body: unknown) {
  return putRoles(
    new Request(`${TEST_ORIGIN}/api/orgs/${slug}/bot/roles`, {
      method: "PUT",
      headers: { cookie, origin: TEST_ORIGIN, "content-type": "application/json" },
      body: JSON.stringify(body),
    }),
    paramsOf({ slug }),
  );
}

async function connectedOrg(role: "OWNER" | "ADMIN" = "OWNER") {
  return createOrgOnDemoGuild({ role: role });
}

it("the list of dangerous permissions reads Discord's bits", () => {
  expect(dangerousPermissionsOf((PERMISSIONS.ADMINISTRATOR | PERMISSIONS.VIEW_CHANNEL).toString())).toEqual([
    "Administrator",
  ]);
  expect(dangerousPermissionsOf(PERMISSIONS.MANAGE_GUILD.toString())).toEqual(["ManageGuild"]);
  expect(dangerousPermissionsOf((PERMISSIONS.VIEW_CHANNEL | PERMISSIONS.SEND_MESSAGES).toString())).toEqual([]);
  expect(dangerousPermissionsOf("not a number")).toEqual(["Administrator"]);
});

describe("connect", () => {
  it("does not adopt an existing “Approved” role carrying Administrator: it creates a fresh role without permissions", async () => {
    discord.world.roles.approved.permissions = PERMISSIONS.ADMINISTRATOR;
    const { organization, cookie } = await createOrgWithMember("OWNER");
    const location = await connectBot(discord, organization.slug, cookie, { guildId: discord.world.guild.id });
    expect(location).toContain("success=bot_connected");
    expect(discord.countRequests("POST /guilds/{guild_id}/roles")).toBe(1);
    const connection = await db.discordConnection.findFirstOrThrow();
    expect(connection.approvedRoleId).not.toBe(WORLD_IDS.approvedRole);
    expect(discord.world.guild.roles.get(connection.approvedRoleId!)).toMatchObject({
      name: "Approved",
      permissions: 0n,
    });
  });
});

describe("the role picker", () => {
  it("marks and refuses a role with Manage Server (403 role_dangerous, nothing written) for an admin and for an owner who did not allow it", async () => {
    discord.world.roles.member.permissions = PERMISSIONS.MANAGE_GUILD;
    for (const role of ["ADMIN", "OWNER"] as const) {
      const { organization, cookie } = await connectedOrg(role);
      const response = await putRoleSettings(organization.slug, cookie, { approvedRoleId: WORLD_IDS.memberRole });
      expect(response.status).toBe(403);
      expect(await errorOf(response)).toBe("role_dangerous");
      const row = await db.discordConnection.findUniqueOrThrow({ where: { organizationId: organization.id } });
      expect(row).toMatchObject({ approvedRoleId: WORLD_IDS.approvedRole, dangerousRoleAllowances: [] });
      // An admin cannot allow it either.
      if (role === "ADMIN") {
        const allow = await putRoleSettings(organization.slug, cookie, {
          approvedRoleId: WORLD_IDS.memberRole,
          allowDangerousRoleIds: [WORLD_IDS.memberRole],
        });
        expect(allow.status).toBe(403);
        expect(await errorOf(allow)).toBe("forbidden");
      }
      await db.discordConnection.delete({ where: { organizationId: organization.id } });
    }
    expect(
      await db.auditEvent.count({ where: { action: { in: ["bot.roles_update", "bot.dangerous_role_allowed"] } } }),
    ).toBe(0);
  });
});

describe("POST /api/discord/assign-role", () => {
  const body = { guild_id: WORLD_IDS.guild, user_id: WORLD_IDS.applicant, role_id: WORLD_IDS.approvedRole };
  const request = (authorization: string) =>
    new Request(`${TEST_ORIGIN}/api/discord/assign-role`, {
      method: "POST",
      headers: { authorization, "content-type": "application/json" },
      body: JSON.stringify(body),
    });

  it("refuses a role that carries Administrator now (403 role_dangerous, no PUT), even though it was saved as assignable", async () => {
    const { organization } = await createOrgWithGuild({
      guildId: WORLD_IDS.guild,
      approvedRoleId: WORLD_IDS.approvedRole,
    });
    const token = await apiTokenFor(organization.id, ["roles:assign"]);
    discord.world.roles.approved.permissions = PERMISSIONS.ADMINISTRATOR;
    const response = await assignRole(request(token.authorization), paramsOf({}));
    expect(response.status).toBe(403);
    expect(await errorOf(response)).toBe("role_dangerous");
    expect(discord.countRequests(PUT_ROLE)).toBe(0);
    expect(discord.world.guild.members.get(WORLD_IDS.applicant)!.roleIds.has(WORLD_IDS.approvedRole)).toBe(false);
    expect(await db.auditEvent.findFirstOrThrow({ where: { action: "discord.assign_role" } })).toMatchObject({
      outcome: "FAILED",
    });
  });
});

describe("an approval", () => {
  it("fails role_dangerous at job time when the approved role became dangerous after it was saved; no PUT", async () => {
    runner = await startTestRunner();
    const { organization } = await createOrgWithGuild({
      guildId: WORLD_IDS.guild,
      approvedRoleId: WORLD_IDS.approvedRole,
    });
    const reviewer = await createReviewer();
    const app = await createApplication({ organizationId: organization.id, applicantDiscordId: WORLD_IDS.applicant });
    discord.world.roles.approved.permissions = PERMISSIONS.MANAGE_GUILD;
    await updateApplicationStatus({
      applicationId: app.id,
      organizationId: organization.id,
      status: "APPROVED",
      reviewerId: reviewer.id,
    });
    const done = await waitFor(
      () => db.application.findUniqueOrThrow({ where: { id: app.id } }),
      (a) => a.status !== "APPROVED_PENDING_ROLE",
    );
    expect(done).toMatchObject({ status: "APPROVED_ROLE_FAILED", roleErrorCode: "role_dangerous" });
    expect(discord.countRequests(PUT_ROLE)).toBe(0);
  });
});

describe("an OWNER's explicit allowance", () => {
  it("lets that one role be picked, is stored and audited, and then the assign-role route and the job grant it", async () => {
    discord.world.roles.member.permissions = PERMISSIONS.MANAGE_GUILD;
    const { organization, cookie, user } = await connectedOrg("OWNER");
    const saved = await putRoleSettings(organization.slug, cookie, {
      approvedRoleId: WORLD_IDS.memberRole,
      allowDangerousRoleIds: [WORLD_IDS.memberRole],
    });
    expect(saved.status).toBe(200);
    const settings = (
      (await saved.json()) as {
        settings: {
          roles: { id: string; assignable: boolean; dangerousPermissions?: string[]; dangerousAllowed?: boolean }[];
        };
      }
    ).settings;
    expect(settings.roles.find((r) => r.id === WORLD_IDS.memberRole)).toMatchObject({
      assignable: true,
      dangerousPermissions: ["ManageGuild"],
      dangerousAllowed: true,
    });
    expect(await db.discordConnection.findUniqueOrThrow({ where: { organizationId: organization.id } })).toMatchObject({
      approvedRoleId: WORLD_IDS.memberRole,
      dangerousRoleAllowances: [WORLD_IDS.memberRole],
    });
    expect(await db.auditEvent.findFirstOrThrow({ where: { action: "bot.dangerous_role_allowed" } })).toMatchObject({
      organizationId: organization.id,
      actorUserId: user.id,
      targetId: WORLD_IDS.memberRole,
    });

    // An admin's later save keeps the owner's allowance (it does not need to repeat it).
    const admin = await createUserWithSession();
    await addMember({ userId: admin.user.id, organizationId: organization.id, role: "ADMIN" });
    expect(
      (await putRoleSettings(organization.slug, admin.cookie, { approvedRoleId: WORLD_IDS.memberRole })).status,
    ).toBe(200);

    const token = await apiTokenFor(organization.id, ["roles:assign"]);
    const response = await assignRole(
      new Request(`${TEST_ORIGIN}/api/discord/assign-role`, {
        method: "POST",
        headers: { authorization: token.authorization, "content-type": "application/json" },
        body: JSON.stringify({
          guild_id: WORLD_IDS.guild,
          user_id: WORLD_IDS.applicant,
          role_id: WORLD_IDS.memberRole,
        }),
      }),
      paramsOf({}),
    );
    expect(response.status).toBe(200);

    runner = await startTestRunner();
    const reviewer = await createReviewer();
    const app = await createApplication({ organizationId: organization.id, applicantDiscordId: WORLD_IDS.applicant });
    await updateApplicationStatus({
      applicationId: app.id,
      organizationId: organization.id,
      status: "APPROVED",
      reviewerId: reviewer.id,
    });
    const done = await waitFor(
      () => db.application.findUniqueOrThrow({ where: { id: app.id } }),
      (a) => a.status !== "APPROVED_PENDING_ROLE",
    );
    expect(done.status).toBe("APPROVED_ROLE_ASSIGNED");
  });
});
