// POST /api/orgs/[slug]/applications/[applicationId]/reject : reject a pending application.
// A lost race answers 409 conflict, a decided application 409 illegal_transition.
import { toApplicationDto } from "@/lib/applications/dto";
import { updateApplicationStatus } from "@/lib/applications/review";
import { json } from "@/lib/http/route";
import { memberActorOf, withOrg } from "@/lib/security/guard";

type Params = { slug: string; applicationId: string };

export const POST = withOrg<Params>({ permission: "applications:review" }, async (_request, ctx, params) => {
  const application = await updateApplicationStatus({
    applicationId: params.applicationId,
    organizationId: ctx.organization.id,
    status: "REJECTED",
    reviewerId: memberActorOf(ctx).userId,
    ip: ctx.ip,
  });
  return json({ application: toApplicationDto(application) }, { requestId: ctx.requestId });
});
