// GET /api/orgs/[slug]/applications/[applicationId] : one application with its role-assignment state.
import { toApplicationDto } from "@/lib/applications/queries/dto";
import { getApplicationOrThrow } from "@/lib/applications/queries/get-application";
import { json } from "@/lib/http/route";
import { withAuth } from "@/lib/security/guard";

type Params = { slug: string; applicationId: string };

export const GET = withAuth<Params>(
  { auth: "session", permission: "applications:review" },
  async (_request, ctx, params) => {
    const application = await getApplicationOrThrow({
      organizationId: ctx.organization.id,
      applicationId: params.applicationId,
    });
    return json({ application: toApplicationDto(application) }, { requestId: ctx.requestId });
  },
);
