// GET ?status=&q= : the applications matching the dashboard's filters as a streamed CSV download.
import { csvHeaders, exportApplicationsCsv } from "@/lib/applications/export-applications";
import { listApplicationsQuery } from "@/lib/applications/list-applications";
import { readQuery } from "@/lib/http/route";
import { withOrg } from "@/lib/security/guard";

const exportQuery = listApplicationsQuery.pick({ status: true, q: true });

export const GET = withOrg<{ slug: string }>({ permission: "applications:review" }, async (request, ctx) => {
  const filter = readQuery(request, exportQuery);
  const body = await exportApplicationsCsv({ organizationId: ctx.organization.id, ...filter });
  const day = new Date().toISOString().slice(0, 10);
  return new Response(body, {
    headers: { ...csvHeaders(`applications-${ctx.organization.slug}-${day}.csv`), "X-Request-Id": ctx.requestId },
  });
});
