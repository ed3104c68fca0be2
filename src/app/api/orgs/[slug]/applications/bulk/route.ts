// POST /api/orgs/[slug]/applications/bulk { action: "approve" | "reject" | "retry", applicationIds } : each item on
// its own, 200 with a result per item ({ id, ok, application } or { id, ok: false, code, message }).
import { bulkInputSchema, bulkReview } from "@/lib/applications/decisions/bulk";
import { toApplicationDto } from "@/lib/applications/queries/dto";
import { json, readJson } from "@/lib/http/route";
import { memberActorOf, withAuth } from "@/lib/security/guard";

export const POST = withAuth<{ slug: string }>(
  { auth: "session", permission: "applications:review" },
  async (request, ctx) => {
    const input = await readJson(request, bulkInputSchema);
    const results = await bulkReview({
      organizationId: ctx.organization.id,
      actorId: memberActorOf(ctx).userId,
      input,
      ip: ctx.ip,
    });
    return json(
      {
        results: results.map((r) => (r.ok ? { id: r.id, ok: true, application: toApplicationDto(r.application) } : r)),
      },
      { requestId: ctx.requestId },
    );
  },
);
