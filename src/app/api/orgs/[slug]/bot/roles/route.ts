// GET: the connected guild's roles (which the bot can give) and the current choice. PUT { approvedRoleId,
// assignableRoleIds, allowDangerousRoleIds? }: what approvals and the assign-role route grant (dangerous roles only
// when an OWNER allows them).
import { getRoleSettings, roleSettingsInput, updateRoleSettings } from "@/lib/bot-connection/role-settings";
import { json, readJson } from "@/lib/http/route";
import { auditActorOf, withAuth } from "@/lib/security/guard";

type Params = { slug: string };

// ?fresh=1 asks Discord now instead of the 30 s answer (a role created in Discord a moment ago).
export const GET = withAuth<Params>({ auth: "session", permission: "bot:manage" }, async (request, ctx) => {
  const fresh = new URL(request.url).searchParams.get("fresh") === "1";
  return json({
    settings: await getRoleSettings({ organizationId: ctx.organization.id, userId: auditActorOf(ctx).userId, fresh }),
  });
});

export const PUT = withAuth<Params>({ auth: "session", permission: "bot:manage" }, async (request, ctx) => {
  const input = await readJson(request, roleSettingsInput, { maxBytes: 4 * 1024 });
  const actor = { ...auditActorOf(ctx), ip: ctx.ip, role: ctx.actor.kind === "user" ? ctx.actor.role : undefined };
  return json({ settings: await updateRoleSettings({ organizationId: ctx.organization.id, input, actor }) });
});
