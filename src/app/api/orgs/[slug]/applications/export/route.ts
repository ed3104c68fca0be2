// GET ?status=&q= : the organization's applications matching the filters as a streamed CSV download. One handler for
// both kinds of caller: the dashboard (session, applications:review, organization from [slug]) and other services
// (API token, scope applications:read), which call it as GET /api/v1/applications/export (a re-export of this GET).
import { csvHeaders, exportApplicationsCsv } from "@/lib/applications/queries/export-applications";
import { listApplicationsQuery } from "@/lib/applications/queries/list-applications";
import { readQuery } from "@/lib/http/route";
import { withAuth } from "@/lib/security/guard";

const exportQuery = listApplicationsQuery.pick({ status: true, q: true });

export const GET = withAuth<{ slug?: string }>(
  { auth: "either", permission: "applications:review", scope: "applications:read" },
  async (request, ctx) => {
    const filter = readQuery(request, exportQuery);
    const body = await exportApplicationsCsv({ organizationId: ctx.organization.id, ...filter });
    const day = new Date().toISOString().slice(0, 10);
    return new Response(body, {
      headers: { ...csvHeaders(`applications-${ctx.organization.slug}-${day}.csv`), "X-Request-Id": ctx.requestId },
    });
  },
);
