// GET ?status=&cursor=&limit= : the organization's applications, newest first, keyset-paginated. One handler for the
// dashboard's review queue (session, applications:review) and other services (API token, scope applications:read),
// which call it as GET /api/v1/applications (a re-export of this GET).
import { toApplicationDto } from "@/lib/applications/queries/dto";
import { listApplications, listApplicationsQuery } from "@/lib/applications/queries/list-applications";
import { json, readQuery } from "@/lib/http/route";
import { withAuth } from "@/lib/security/guard";

export const GET = withAuth<{ slug?: string }>(
  { auth: "either", permission: "applications:review", scope: "applications:read" },
  async (request, ctx) => {
    const params = readQuery(request, listApplicationsQuery);
    const page = await listApplications({ organizationId: ctx.organization.id, ...params });
    return json({ items: page.items.map(toApplicationDto), nextCursor: page.nextCursor }, { requestId: ctx.requestId });
  },
);
