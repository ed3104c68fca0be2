// Issue 23 item 4: every Discord failure keeps its meaning in every mode. The same faults (401, 403, 404, 429, 5xx,
// a dropped connection) go through the running app, `npm run dev` (scripts/e2e/discord-classification.ts, run by
// scripts/ci/npm-scripts-smoke.ts) and the production build (tests/e2e/production-checks.ts), and each must come
// back as its own answer: under `next dev` a 403 and a 404 both used to end as "Discord kept failing", and a
// non-member as 500 with a DiscordNetworkError in the log, because errors were told apart with instanceof.
// Needs the app's database (the org, its connection and API token are written directly) and the sandbox's admin API.
import assert from "node:assert/strict";
import { randomBytes, randomInt } from "node:crypto";
import { enqueueRoleAssignment } from "../../src/lib/applications/role-jobs/enqueue";
import { storeToken } from "../../src/lib/crypto/token-vault";
import type { Db } from "../../src/lib/db";
import { snowflakeFromTimestamp } from "../../src/lib/discord/ids";
import { createToken } from "../../src/lib/security/api-tokens";
import { WORLD_IDS } from "../fakes/discord/world";

export type ClassificationContext = {
  baseUrl: string;
  sandboxUrl: string;
  db: Db;
  log: (message: string) => void;
};

const ROLE_PUT = "PUT /guilds/{guild_id}/members/{user_id}/roles/{role_id}";
const GUILD_ROLES = "GET /guilds/{guild_id}/roles";

type Fault = { route: string; status?: number; code?: number; retryAfter?: number; drop?: boolean; times?: number };

async function sandbox<T>(ctx: ClassificationContext, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${ctx.sandboxUrl}/_sandbox${path}`, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  assert.ok(response.ok, `sandbox ${method} ${path} answered ${response.status}`);
  return (await response.json()) as T;
}

/** A guild of its own in the sandbox with the platform bot, a role to give and the applicant as a member. */
async function sandboxGuild(ctx: ClassificationContext): Promise<{ guildId: string; roleId: string }> {
  const state = await sandbox<{ applications: { id: string }[] }>(ctx, "GET", "");
  const platform = state.applications.find((a) => a.id !== WORLD_IDS.tenantApplication);
  assert.ok(platform, "the sandbox has a platform application");
  const guild = await sandbox<{ id: string }>(ctx, "POST", "/guilds", {
    name: "Classification check",
    ownerId: WORLD_IDS.admin,
  });
  await sandbox(ctx, "POST", `/guilds/${guild.id}/bot`, { applicationId: platform.id });
  const role = await sandbox<{ id: string }>(ctx, "POST", `/guilds/${guild.id}/roles`, {
    name: "Checked",
    position: 1,
  });
  await sandbox(ctx, "POST", `/guilds/${guild.id}/members`, { userId: WORLD_IDS.applicant });
  return { guildId: guild.id, roleId: role.id };
}

/** An organization connected to `guildId` with an API token holding roles:assign; optionally a bot of its own. */
async function organization(ctx: ClassificationContext, guildId: string, roleId: string, ownBotToken?: string) {
  const suffix = randomBytes(4).toString("hex");
  const org = await ctx.db.organization.create({
    data: {
      slug: `classification-${suffix}`,
      name: `Classification ${suffix}`,
      status: "ACTIVE",
      // An application of its own (a fresh id): the token stored below is what the sandbox sees.
      botApplicationId: ownBotToken
        ? snowflakeFromTimestamp(new Date(Date.now() - 60_000), BigInt(randomInt(1, 4000)))
        : null,
    },
  });
  await ctx.db.discordConnection.create({
    data: {
      organizationId: org.id,
      guildId,
      guildName: "Classification check",
      approvedRoleId: roleId,
      approvedRoleName: "Checked",
      state: "CONNECTED",
    },
  });
  if (ownBotToken) {
    await storeToken({
      organizationId: org.id,
      provider: "DISCORD_BOT",
      tokenType: "BOT_TOKEN",
      value: ownBotToken,
      validity: "VALID",
    });
  }
  const { token } = await createToken({
    organizationId: org.id,
    createdById: null,
    name: "classification check",
    scopes: ["roles:assign"],
  });
  return { org, token };
}

async function withFault<T>(ctx: ClassificationContext, fault: Fault, run: () => Promise<T>): Promise<T> {
  await sandbox(ctx, "POST", "/faults", fault);
  try {
    return await run();
  } finally {
    // Unused repetitions (a fault answered before the library's retries ran out) must not reach the next case.
    await fetch(`${ctx.sandboxUrl}/_sandbox/faults`, { method: "DELETE" });
  }
}

async function assignRole(ctx: ClassificationContext, token: string, guildId: string, roleId: string) {
  const response = await fetch(`${ctx.baseUrl}/api/discord/assign-role`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ guild_id: guildId, user_id: WORLD_IDS.applicant, role_id: roleId }),
  });
  const body = (await response.json()) as { error?: { code: string } };
  return { status: response.status, code: body.error?.code ?? "none" };
}

/** The role job (the worker: in-process under dev, its own process in the production stack) under one fault. */
async function approvalOutcome(ctx: ClassificationContext, organizationId: string) {
  const application = await ctx.db.application.create({
    data: {
      organizationId,
      applicantDiscordId: WORLD_IDS.applicant,
      applicantName: "Classification applicant",
      status: "APPROVED_PENDING_ROLE",
      roleAssignmentStatus: "PENDING",
    },
  });
  await ctx.db.$transaction((tx) => enqueueRoleAssignment({ tx, applicationId: application.id, organizationId }));
  const until = Date.now() + 60_000;
  for (;;) {
    const row = await ctx.db.application.findUniqueOrThrow({ where: { id: application.id } });
    if (row.status !== "APPROVED_PENDING_ROLE") return row;
    assert.ok(Date.now() < until, `the role job did not finish within 60 s (last error ${row.roleErrorCode})`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Runs every case; throws (assert) on the first answer that lost its meaning. */
export async function checkDiscordClassification(ctx: ClassificationContext): Promise<void> {
  const { guildId, roleId } = await sandboxGuild(ctx);
  const platformOrg = await organization(ctx, guildId, roleId);
  const expect = async (label: string, fault: Fault, status: number, code: string) => {
    const answer = await withFault(ctx, fault, () => assignRole(ctx, platformOrg.token, guildId, roleId));
    assert.deepEqual(answer, { status, code }, `${label}: assign-role answered ${answer.status} ${answer.code}`);
    ctx.log(`${label} -> ${status} ${code}`);
  };
  await expect("403 50013", { route: ROLE_PUT, status: 403, code: 50013 }, 409, "missing_permissions");
  await expect("404 10007", { route: ROLE_PUT, status: 404, code: 10007 }, 409, "member_not_in_guild");
  await expect("500 on every attempt", { route: ROLE_PUT, status: 500, times: 3 }, 502, "discord_unavailable");
  await expect("dropped connection", { route: ROLE_PUT, drop: true, times: 3 }, 502, "discord_unavailable");

  // The role job: a 403 fails at once with the admin's fix, not "Discord kept failing ... after 5 attempts".
  const failed = await withFault(ctx, { route: ROLE_PUT, status: 403, code: 50013, times: 5 }, () =>
    approvalOutcome(ctx, platformOrg.org.id),
  );
  assert.equal(failed.status, "APPROVED_ROLE_FAILED");
  assert.equal(failed.roleErrorCode, "missing_permissions", `the role job failed with ${failed.roleErrorCode}`);
  assert.equal(failed.attemptCount, 1, "a permanent failure fails at once, not after the automatic attempts");
  ctx.log("role job, 403 50013 -> APPROVED_ROLE_FAILED missing_permissions after 1 attempt");

  // 401: an organization's own bot whose token Discord rejects (a random one: only it is marked rejected).
  const second = await sandboxGuild(ctx);
  const ownBot = await organization(
    ctx,
    second.guildId,
    second.roleId,
    `classification.${randomBytes(24).toString("hex")}`,
  );
  const rejected = await withFault(ctx, { route: GUILD_ROLES, status: 401 }, () =>
    assignRole(ctx, ownBot.token, second.guildId, second.roleId),
  );
  assert.deepEqual(rejected, { status: 409, code: "bot_token_invalid" }, "401: assign-role lost the meaning");
  ctx.log("401 -> 409 bot_token_invalid");

  // Last: a long 429 leaves this guild's role route limited in the app's REST client for a minute.
  await expect("429 Retry-After 60", { route: ROLE_PUT, status: 429, retryAfter: 60, times: 5 }, 429, "rate_limited");
}
