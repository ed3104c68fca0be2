// Failure paths checked against the production build (`next start`, minified, with its in-process worker), not only
// under vitest: a minifying build renames error classes, so classification by `name` passes every vitest run and
// fails here. Run by scripts/e2e/run.ts after the journeys; each check needs no browser page.
import assert from "node:assert/strict";
import { storeToken } from "../../src/lib/crypto/token-vault";
import { enqueueRoleAssignment } from "../../src/lib/applications/role-jobs/enqueue";
import { snowflakeFromTimestamp } from "../../src/lib/discord/ids";
import { createToken } from "../../src/lib/security/api-tokens";
import { checkDiscordClassification } from "./discord-classification";
import type { Journey, JourneyContext } from "./journeys";

let sequence = 0;

/** An organization of its own with a connected guild (a fresh snowflake) and, optionally, a bot token of its own. */
async function organization(ctx: JourneyContext, options: { suspended?: boolean; revokedBot?: boolean }) {
  sequence += 1;
  const guildId = snowflakeFromTimestamp(new Date(Date.now() - 60_000), BigInt(900 + sequence));
  const roleId = snowflakeFromTimestamp(new Date(Date.now() - 60_000), BigInt(950 + sequence));
  const org = await ctx.db.organization.create({
    data: {
      slug: `prod-check-${Date.now()}-${sequence}`,
      name: `Production check ${sequence}`,
      status: options.suspended ? "SUSPENDED" : "ACTIVE",
      botApplicationId: options.revokedBot
        ? snowflakeFromTimestamp(new Date(Date.now() - 60_000), BigInt(980 + sequence))
        : null,
    },
  });
  await ctx.db.discordConnection.create({
    data: {
      organizationId: org.id,
      guildId,
      guildName: "Check guild",
      approvedRoleId: roleId,
      approvedRoleName: "Approved",
      state: "CONNECTED",
    },
  });
  if (options.revokedBot) {
    await storeToken({
      organizationId: org.id,
      provider: "DISCORD_BOT",
      tokenType: "BOT_TOKEN",
      value: "revoked-bot-token",
      validity: "INVALID",
    });
  }
  const { token } = await createToken({
    organizationId: org.id,
    createdById: null,
    name: "production check",
    scopes: ["roles:assign"],
  });
  return { org, guildId, roleId, token };
}

async function assignRole(ctx: JourneyContext, token: string, body: Record<string, string>) {
  const response = await fetch(`${ctx.baseUrl}/api/discord/assign-role`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as { error?: { code: string; message: string } } };
}

async function expectConflict(
  ctx: JourneyContext,
  options: { suspended?: boolean; revokedBot?: boolean },
  code: string,
) {
  const { guildId, roleId, token } = await organization(ctx, options);
  const userId = snowflakeFromTimestamp(new Date(Date.now() - 60_000), 7n);
  const answer = await assignRole(ctx, token, { guild_id: guildId, user_id: userId, role_id: roleId });
  assert.equal(
    answer.status,
    409,
    `assign-role answered ${answer.status} ${JSON.stringify(answer.body)}; expected 409 ${code}`,
  );
  assert.equal(answer.body.error?.code, code);
}

async function expectApprovalFails(
  ctx: JourneyContext,
  options: { suspended?: boolean; revokedBot?: boolean },
  code: string,
) {
  const { org } = await organization(ctx, options);
  const application = await ctx.db.application.create({
    data: {
      organizationId: org.id,
      applicantDiscordId: snowflakeFromTimestamp(new Date(Date.now() - 60_000), 8n),
      applicantName: "Check applicant",
      status: "APPROVED_PENDING_ROLE",
      roleAssignmentStatus: "PENDING",
    },
  });
  await ctx.db.$transaction((tx) =>
    enqueueRoleAssignment({ tx, applicationId: application.id, organizationId: org.id }),
  );
  const until = Date.now() + 30_000;
  for (;;) {
    const row = await ctx.db.application.findUniqueOrThrow({ where: { id: application.id } });
    if (row.status !== "APPROVED_PENDING_ROLE") {
      assert.equal(row.status, "APPROVED_ROLE_FAILED");
      assert.equal(row.roleErrorCode, code, `the approval failed with ${row.roleErrorCode}; expected ${code}`);
      assert.equal(row.attemptCount, 1, "a permanent failure fails at once, not after the automatic attempts");
      return;
    }
    assert.ok(
      Date.now() < until,
      `the worker of next start did not finish the approval within 30 s (last error ${row.roleErrorCode})`,
    );
    await new Promise((r) => setTimeout(r, 250));
  }
}

export const PRODUCTION_CHECKS: Journey[] = [
  {
    name: "production build: a suspended organization's assign-role call answers 409 organization_suspended",
    run: (ctx) => expectConflict(ctx, { suspended: true }, "organization_suspended"),
  },
  {
    name: "production build: a revoked bot's assign-role call answers 409 bot_token_invalid",
    run: (ctx) => expectConflict(ctx, { revokedBot: true }, "bot_token_invalid"),
  },
  {
    name: "production build: an approval in an organization with a revoked bot fails bot_token_invalid",
    run: (ctx) => expectApprovalFails(ctx, { revokedBot: true }, "bot_token_invalid"),
  },
  {
    name: "production build: an approval in a suspended organization fails organization_suspended",
    run: (ctx) => expectApprovalFails(ctx, { suspended: true }, "organization_suspended"),
  },
  {
    name: "production build: Discord 401/403/404/429/5xx/network faults keep their meaning (assign-role and the role job)",
    run: (ctx) =>
      checkDiscordClassification({ baseUrl: ctx.baseUrl, sandboxUrl: ctx.sandboxUrl, db: ctx.db, log: ctx.log }),
  },
];
