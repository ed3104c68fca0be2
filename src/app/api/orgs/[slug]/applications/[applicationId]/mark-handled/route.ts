// POST /api/orgs/[slug]/applications/[applicationId]/mark-handled { note? } : an admin changed the roles in Discord by
// hand; a failed role change ends (APPROVED_ROLE_ASSIGNED or REVOKED), audited with who and why.
import { toApplicationDto } from "@/lib/applications/queries/dto";
import { markHandledInputSchema, markRoleHandled } from "@/lib/applications/decisions/revoke";
import { json, readJson } from "@/lib/http/route";
import { memberActorOf, withAuth } from "@/lib/security/guard";

type Params = { slug: string; applicationId: string };

export const POST = withAuth<Params>(
  { auth: "session", permission: "applications:review" },
  async (request, ctx, params) => {
    // The note is optional: a bodiless POST (no content-type) marks it handled without one.
    const input = request.headers.get("content-type") ? await readJson(request, markHandledInputSchema) : {};
    const application = await markRoleHandled({
      applicationId: params.applicationId,
      organizationId: ctx.organization.id,
      actorId: memberActorOf(ctx).userId,
      note: input.note,
      ip: ctx.ip,
    });
    return json({ application: toApplicationDto(application) }, { requestId: ctx.requestId });
  },
);
