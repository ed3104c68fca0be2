// POST /api/orgs/[slug]/applications/[applicationId]/retry : retry a failed role assignment (at most 5 manual retries).
// A lost race answers 409 conflict, a decided application 409 illegal_transition.
import { toApplicationDto } from "@/lib/applications/queries/dto";
import { retryRoleAssignment } from "@/lib/applications/decisions/review";
import { json } from "@/lib/http/route";
import { memberActorOf, withAuth } from "@/lib/security/guard";

type Params = { slug: string; applicationId: string };

export const POST = withAuth<Params>(
  { auth: "session", permission: "applications:review" },
  async (_request, ctx, params) => {
    const application = await retryRoleAssignment({
      applicationId: params.applicationId,
      organizationId: ctx.organization.id,
      actorId: memberActorOf(ctx).userId,
      ip: ctx.ip,
    });
    return json({ application: toApplicationDto(application) }, { requestId: ctx.requestId });
  },
);
