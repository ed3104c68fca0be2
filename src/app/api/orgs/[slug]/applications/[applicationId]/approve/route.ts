// POST /api/orgs/[slug]/applications/[applicationId]/approve : approve: APPROVED (no Discord id) or APPROVED_PENDING_ROLE with the role job enqueued.
// A lost race answers 409 conflict, a decided application 409 illegal_transition.
import { toApplicationDto } from "@/lib/applications/queries/dto";
import { updateApplicationStatus } from "@/lib/applications/decisions/review";
import { json } from "@/lib/http/route";
import { memberActorOf, withAuth } from "@/lib/security/guard";

type Params = { slug: string; applicationId: string };

export const POST = withAuth<Params>(
  { auth: "session", permission: "applications:review" },
  async (_request, ctx, params) => {
    const application = await updateApplicationStatus({
      applicationId: params.applicationId,
      organizationId: ctx.organization.id,
      status: "APPROVED",
      reviewerId: memberActorOf(ctx).userId,
      ip: ctx.ip,
    });
    return json({ application: toApplicationDto(application) }, { requestId: ctx.requestId });
  },
);
