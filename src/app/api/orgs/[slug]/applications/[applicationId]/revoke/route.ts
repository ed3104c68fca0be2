// POST /api/orgs/[slug]/applications/[applicationId]/revoke { reason } : take an approval back; the roles it added
// are removed by the revoke-roles job (REVOKED_PENDING_ROLE_REMOVAL), or REVOKED at once without a Discord account.
import { toApplicationDto } from "@/lib/applications/queries/dto";
import { revokeApplication, revokeInputSchema } from "@/lib/applications/decisions/revoke";
import { json, readJson } from "@/lib/http/route";
import { memberActorOf, withAuth } from "@/lib/security/guard";

type Params = { slug: string; applicationId: string };

export const POST = withAuth<Params>(
  { auth: "session", permission: "applications:review" },
  async (request, ctx, params) => {
    const input = await readJson(request, revokeInputSchema);
    const application = await revokeApplication({
      applicationId: params.applicationId,
      organizationId: ctx.organization.id,
      actorId: memberActorOf(ctx).userId,
      reason: input.reason,
      ip: ctx.ip,
    });
    return json({ application: toApplicationDto(application) }, { requestId: ctx.requestId });
  },
);
