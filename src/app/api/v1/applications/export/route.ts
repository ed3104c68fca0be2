// GET ?status=&q= (scope applications:read): the organization's applications as a streamed CSV.
import { csvHeaders, exportApplicationsCsv } from "@/lib/applications/export-applications";
import { listApplicationsQuery } from "@/lib/applications/list-applications";
import { readQuery } from "@/lib/http/route";
import { withApiToken } from "@/lib/security/guard";

const exportQuery = listApplicationsQuery.pick({ status: true, q: true });

export const GET = withApiToken<Record<string, string>>({ scope: "applications:read" }, async (request, ctx) => {
  const filter = readQuery(request, exportQuery);
  const body = await exportApplicationsCsv({ organizationId: ctx.organization.id, ...filter });
  const day = new Date().toISOString().slice(0, 10);
  return new Response(body, { headers: { ...csvHeaders(`applications-${day}.csv`), "X-Request-Id": ctx.requestId } });
});
