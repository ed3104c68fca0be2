// The token-authenticated routes: POST/GET /api/v1/applications and POST /api/discord/assign-role.
import { describe, expect, it } from "vitest";
import { POST as assignRole } from "@/app/api/discord/assign-role/route";
import { GET as listApi, POST as submitApi } from "@/app/api/v1/applications/route";
import { DIRECT_NOT_MEMBER } from "@/lib/applications/role-jobs/assign-role-direct";
import { db } from "@/lib/db";
import { notifyApiTokensChanged } from "@/lib/security/api-token-cache";
import { useDiscordFake, WORLD_IDS } from "~tests/fakes/discord";
import { apiTokenFor, createOrgWithGuild, newSnowflake } from "~tests/helpers/applications";
import { paramsOf } from "~tests/helpers/auth";

const discord = useDiscordFake();
const PUT = "PUT /guilds/{guild_id}/members/{user_id}/roles/{role_id}";
const ROLES = "GET /guilds/{guild_id}/roles";
const none = paramsOf({});

function apiRequest(
  method: string,
  path: string,
  authorization: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const init: RequestInit = { method, headers: { authorization, ...headers } };
  if (body !== undefined) {
    init.headers = { ...init.headers, "content-type": "application/json" };
    init.body = typeof body === "string" ? body : JSON.stringify(body);
  }
  return new Request(`http://localhost:3000${path}`, init);
}

const errorCode = async (response: Response) => ((await response.json()) as { error: { code: string } }).error.code;

describe("POST/GET /api/v1/applications", () => {
  it("creates with applications:write, replays an Idempotency-Key, lists with applications:read", async () => {
    const { organization } = await createOrgWithGuild();
    const writer = await apiTokenFor(organization.id, ["applications:write"]);
    const reader = await apiTokenFor(organization.id, ["applications:read"]);
    const body = { discordUserId: newSnowflake(), applicantName: "Ada", answers: {} };

    const first = await submitApi(
      apiRequest("POST", "/api/v1/applications", writer.authorization, body, { "idempotency-key": "abc-1" }),
      none,
    );
    expect(first.status).toBe(201);
    const created = ((await first.json()) as { application: { id: string; source: string } }).application;
    expect(created.source).toBe("API");
    const replay = await submitApi(
      apiRequest("POST", "/api/v1/applications", writer.authorization, body, { "idempotency-key": "abc-1" }),
      none,
    );
    expect(replay.status).toBe(200);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(((await replay.json()) as { application: { id: string } }).application.id).toBe(created.id);
    expect(await db.application.count()).toBe(1);

    const listed = await listApi(apiRequest("GET", "/api/v1/applications?status=PENDING", reader.authorization), none);
    expect(listed.status).toBe(200);
    expect(((await listed.json()) as { items: { id: string }[] }).items.map((a) => a.id)).toEqual([created.id]);

    // Scopes are not interchangeable.
    expect((await listApi(apiRequest("GET", "/api/v1/applications", writer.authorization), none)).status).toBe(403);
    expect((await submitApi(apiRequest("POST", "/api/v1/applications", reader.authorization, body), none)).status).toBe(
      403,
    );
    expect((await submitApi(apiRequest("POST", "/api/v1/applications", "Bearer ggt_nope", body), none)).status).toBe(
      401,
    );
  });

  it("answers 400 invalid_discord_user_id for every malformed id and writes nothing", async () => {
    const { organization } = await createOrgWithGuild();
    const writer = await apiTokenFor(organization.id, ["applications:write"]);
    for (const bad of [
      "",
      "12345",
      "12345678901234567890",
      "abc123",
      "123'; DROP TABLE users--",
      "<script>alert(1)</script>",
      123456789012345678,
      { id: "1" },
      ["1"],
      true,
    ]) {
      const response = await submitApi(
        apiRequest("POST", "/api/v1/applications", writer.authorization, {
          discordUserId: bad,
          applicantName: "Ada",
          answers: {},
        }),
        none,
      );
      expect(response.status, JSON.stringify(bad)).toBe(400);
      expect(await errorCode(response)).toBe("invalid_discord_user_id");
    }
    expect(await db.application.count()).toBe(0);
  });
});

describe("POST /api/discord/assign-role", () => {
  async function setup() {
    const { organization } = await createOrgWithGuild({
      guildId: WORLD_IDS.guild,
      approvedRoleId: WORLD_IDS.approvedRole,
    });
    const token = await apiTokenFor(organization.id, ["roles:assign"]);
    return { organization, token };
  }
  const valid = { guild_id: WORLD_IDS.guild, user_id: WORLD_IDS.applicant, role_id: WORLD_IDS.approvedRole };

  it("assigns the approved role in the token's guild through its bot, with an audit row", async () => {
    const { organization, token } = await setup();
    const response = await assignRole(apiRequest("POST", "/api/discord/assign-role", token.authorization, valid), none);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      assigned: true,
      guildId: WORLD_IDS.guild,
      userId: WORLD_IDS.applicant,
      roleId: WORLD_IDS.approvedRole,
    });
    expect(discord.countRequests(PUT)).toBe(1);
    expect(discord.world.guild.members.get(WORLD_IDS.applicant)!.roleIds.has(WORLD_IDS.approvedRole)).toBe(true);
    expect(await db.auditEvent.findFirst({ where: { action: "discord.assign_role" } })).toMatchObject({
      organizationId: organization.id,
      actorApiTokenId: token.tokenId,
      outcome: "SUCCESS",
    });
  });

  it("a burst for one guild reads the role list once (N requests: one GET, N PUTs); a role created since is found with one fresh read", async () => {
    const { organization, token } = await setup();
    const N = 8;
    const users = [WORLD_IDS.applicant, WORLD_IDS.admin];
    const responses = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        assignRole(
          apiRequest("POST", "/api/discord/assign-role", token.authorization, { ...valid, user_id: users[i % 2] }),
          none,
        ),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(N).fill(200));
    expect(discord.countRequests(ROLES)).toBe(1);
    expect(discord.countRequests(PUT)).toBe(N);

    // Created after the list was cached: not refused for missing from it, one fresh GET instead.
    const created = discord.model.addRole(WORLD_IDS.guild, {
      id: "1200000000000001005",
      name: "Verified",
      position: 2,
    });
    await db.discordConnection.update({
      where: { organizationId: organization.id },
      data: { assignableRoleIds: [created.id] },
    });
    await notifyApiTokensChanged(organization.id, db); // as updateRoleSettings does
    const late = await assignRole(
      apiRequest("POST", "/api/discord/assign-role", token.authorization, { ...valid, role_id: created.id }),
      none,
    );
    expect(late.status).toBe(200);
    expect(discord.world.guild.members.get(WORLD_IDS.applicant)!.roleIds.has(created.id)).toBe(true);
    expect(discord.countRequests(ROLES)).toBe(2);
    expect(discord.countRequests(PUT)).toBe(N + 1);
  });

  it("ticket 3: every invalid id form is a 400 with the field's code, nothing written, no Discord call", async () => {
    const { token } = await setup();
    const bad = [
      "",
      "12345",
      "12345678901234567890",
      "abc123",
      "123'; DROP TABLE users--",
      "<script>alert(1)</script>",
      123456789012345678,
      null,
      undefined,
      { id: "123" },
      " 1200000000000000200",
      "01200000000000000200",
      "99999999999999999999",
    ];
    const fields = [
      ["guild_id", "invalid_guild_id"],
      ["user_id", "invalid_user_id"],
      ["role_id", "invalid_role_id"],
    ] as const;
    for (const [field, code] of fields) {
      for (const value of bad) {
        const response = await assignRole(
          apiRequest("POST", "/api/discord/assign-role", token.authorization, { ...valid, [field]: value }),
          none,
        );
        expect(response.status, `${field}=${JSON.stringify(value)}`).toBe(400);
        expect(await errorCode(response)).toBe(code);
      }
    }
    const malformed = await assignRole(
      apiRequest("POST", "/api/discord/assign-role", token.authorization, "{not json"),
      none,
    );
    expect(malformed.status).toBe(400);
    expect(await errorCode(malformed)).toBe("invalid_json");
    const huge = await assignRole(
      apiRequest("POST", "/api/discord/assign-role", token.authorization, { ...valid, pad: "x".repeat(17 * 1024) }),
      none,
    );
    expect(huge.status).toBe(413);
    expect(discord.countRequests()).toBe(0);
    expect(await db.auditEvent.count()).toBe(0);
  });

  it("refuses another guild (403 forbidden) and a role that is not assignable (403 role_not_assignable)", async () => {
    const { token } = await setup();
    const other = await assignRole(
      apiRequest("POST", "/api/discord/assign-role", token.authorization, { ...valid, guild_id: WORLD_IDS.otherGuild }),
      none,
    );
    expect(other.status).toBe(403);
    expect(await errorCode(other)).toBe("forbidden");
    const admin = await assignRole(
      apiRequest("POST", "/api/discord/assign-role", token.authorization, { ...valid, role_id: WORLD_IDS.staffRole }),
      none,
    );
    expect(admin.status).toBe(403);
    expect(await errorCode(admin)).toBe("role_not_assignable");
    const noScope = await apiTokenFor((await db.organization.findFirstOrThrow()).id, ["applications:write"]);
    expect(
      (await assignRole(apiRequest("POST", "/api/discord/assign-role", noScope.authorization, valid), none)).status,
    ).toBe(403);
    expect(discord.countRequests(PUT)).toBe(0);
  });

  it("returns Discord's failures typed: 409 member_not_in_guild / missing_permissions, 502 discord_unavailable", async () => {
    const { organization, token } = await setup();
    const stranger = await assignRole(
      apiRequest("POST", "/api/discord/assign-role", token.authorization, { ...valid, user_id: WORLD_IDS.outsider }),
      none,
    );
    expect(stranger.status).toBe(409);
    const strangerBody = (await stranger.json()) as { error: { code: string; message: string } };
    expect(strangerBody.error.code).toBe("member_not_in_guild");
    // A direct call gets no re-check (only approvals do): the message must not promise one (issue 14).
    expect(strangerBody.error.message).toBe(DIRECT_NOT_MEMBER);
    expect(strangerBody.error.message).not.toMatch(/automatically|checked for/i);

    await db.discordConnection.update({
      where: { organizationId: organization.id },
      data: { assignableRoleIds: [WORLD_IDS.approvedRole, WORLD_IDS.staffRole] },
    });
    await notifyApiTokensChanged(organization.id, db); // as updateRoleSettings does
    // Staff carries Manage Server (refused as role_dangerous before Discord is asked); without it, Discord's 50013.
    discord.world.roles.staff.permissions = 0n;
    const above = await assignRole(
      apiRequest("POST", "/api/discord/assign-role", token.authorization, { ...valid, role_id: WORLD_IDS.staffRole }),
      none,
    );
    expect(above.status).toBe(409);
    expect(await errorCode(above)).toBe("missing_permissions");

    discord.injectFault({ route: PUT, status: 503, times: 10 });
    const down = await assignRole(apiRequest("POST", "/api/discord/assign-role", token.authorization, valid), none);
    expect(down.status).toBe(502);
    expect(await errorCode(down)).toBe("discord_unavailable");
    expect(await db.auditEvent.count({ where: { action: "discord.assign_role", outcome: "FAILED" } })).toBe(3);
  });
});
