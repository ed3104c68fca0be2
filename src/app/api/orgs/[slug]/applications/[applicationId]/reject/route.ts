// POST /api/orgs/[slug]/applications/[applicationId]/reject { reason? } : reject a pending application (or a failed
// approval). The reason is optional unless the organization requires one (400 reject_reason_required); a body-less
// POST rejects without one. A lost race answers 409 conflict, a decided application 409 illegal_transition.
import { toApplicationDto } from "@/lib/applications/queries/dto";
import { rejectInputSchema, updateApplicationStatus } from "@/lib/applications/decisions/review";
import { json, readJson } from "@/lib/http/route";
import { memberActorOf, withAuth } from "@/lib/security/guard";

type Params = { slug: string; applicationId: string };

export const POST = withAuth<Params>(
  { auth: "session", permission: "applications:review" },
  async (request, ctx, params) => {
    const hasBody = request.headers.get("content-type") !== null || Number(request.headers.get("content-length")) > 0;
    const input = hasBody ? await readJson(request, rejectInputSchema, { maxBytes: 8 * 1024 }) : {};
    const application = await updateApplicationStatus({
      applicationId: params.applicationId,
      organizationId: ctx.organization.id,
      status: "REJECTED",
      reviewerId: memberActorOf(ctx).userId,
      reason: input.reason,
      ip: ctx.ip,
    });
    return json({ application: toApplicationDto(application) }, { requestId: ctx.requestId });
  },
);
