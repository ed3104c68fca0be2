// PUT /api/orgs/[slug]/forms/[formSlug]/role-rule { approveAddRoleIds, approveRemoveRoleIds, rejectAddRoleId,
// restoreOnRevoke } : checked against the guild first (400 invalid_role_id naming each role the bot cannot change,
// 409 conflict without a connected bot, 502 discord_error when Discord cannot be asked).
import { toFormDto } from "@/lib/forms/dto";
import { roleRuleInputSchema, updateRoleRule } from "@/lib/forms/role-rules";
import { json, readJson } from "@/lib/http/route";
import { auditActorOf, withAuth } from "@/lib/security/guard";

type Params = { slug: string; formSlug: string };

export const PUT = withAuth<Params>({ auth: "session", permission: "bot:manage" }, async (request, ctx, params) => {
  const input = await readJson(request, roleRuleInputSchema);
  const form = await updateRoleRule({
    organizationId: ctx.organization.id,
    slug: params.formSlug,
    input,
    actor: auditActorOf(ctx),
    ip: ctx.ip,
  });
  return json({ form: toFormDto(form) }, { requestId: ctx.requestId });
});
