// POST /api/discord/assign-role { guild_id, user_id, role_id } with an API token holding `roles:assign`.
// Each id must be a Discord snowflake (400 invalid_guild_id / invalid_user_id / invalid_role_id, before anything is
// written or sent); the guild must be the token's organization's (403 forbidden) and the role assignable
// (403 role_not_assignable). Discord failures come back typed: 409 when an admin must act, 502 when Discord failed.
import { z } from "zod";
import { assignRoleDirect } from "@/lib/applications/role-jobs/assign-role-direct";
import { isSnowflake } from "@/lib/discord/ids";
import { AppError, type ErrorCode } from "@/lib/errors/app-error";
import { json, readJson } from "@/lib/http/route";
import { withAuth } from "@/lib/security/guard";

const body = z.record(z.string(), z.unknown());

function idOrThrow(value: unknown, code: ErrorCode, field: string): string {
  if (!isSnowflake(value)) throw new AppError(code, `${field} must be a Discord ID (snowflake string).`);
  return value;
}

export const POST = withAuth<Record<string, string>>({ auth: "token", scope: "roles:assign" }, async (request, ctx) => {
  const input = await readJson(request, body, { maxBytes: 16 * 1024 });
  const guildId = idOrThrow(input.guild_id, "invalid_guild_id", "guild_id");
  const userId = idOrThrow(input.user_id, "invalid_user_id", "user_id");
  const roleId = idOrThrow(input.role_id, "invalid_role_id", "role_id");
  if (ctx.actor.kind !== "apiToken") throw new AppError("forbidden", "This route takes an API token.");
  const result = await assignRoleDirect({
    organizationId: ctx.organization.id,
    guildId,
    userId,
    roleId,
    apiTokenId: ctx.actor.tokenId,
    ip: ctx.ip,
    connection: ctx.connection,
  });
  return json(result, { requestId: ctx.requestId });
});
