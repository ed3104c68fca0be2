// POST /api/orgs/[slug]/applicant-settings/invite { channelId } : the bot creates a never-expiring invite to that
// channel and it becomes the organization's invite link (409 missing_permissions without Create Invite there).
import { createBotInvite, createInviteInput } from "@/lib/applicants/invite";
import { json, readJson } from "@/lib/http/route";
import { auditActorOf, withAuth } from "@/lib/security/guard";

type Params = { slug: string };

export const POST = withAuth<Params>({ auth: "session", permission: "applicants:manage" }, async (request, ctx) => {
  const input = await readJson(request, createInviteInput, { maxBytes: 1024 });
  const settings = await createBotInvite({
    organizationId: ctx.organization.id,
    input,
    actor: auditActorOf(ctx),
    ip: ctx.ip,
  });
  return json({ settings }, { requestId: ctx.requestId });
});
