// GET ?status=&q= (scope applications:read): the organization's applications as a streamed CSV.
import { csvHeaders, exportApplicationsCsv } from "@/lib/applications/export-applications";
import { listApplicationsQuery } from "@/lib/applications/list-applications";
import { withAuth } from "@/lib/security/guard";

const exportQuery = listApplicationsQuery.pick({ status: true, q: true });

export const GET = withAuth<Record<string, string>>(
  { auth: "token", scope: "applications:read" },
  async (request, ctx) => {
    const filter = exportQuery.parse(Object.fromEntries(new URL(request.url).searchParams));
    const body = await exportApplicationsCsv({ organizationId: ctx.organization.id, ...filter });
    const day = new Date().toISOString().slice(0, 10);
    return new Response(body, { headers: { ...csvHeaders(`applications-${day}.csv`), "X-Request-Id": ctx.requestId } });
  },
);
