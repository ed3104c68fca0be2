// GET /api/orgs/[slug]/applications?status=&cursor=&limit= : the review queue, newest first, keyset-paginated.
import { toApplicationDto } from "@/lib/applications/dto";
import { listApplications, listApplicationsQuery } from "@/lib/applications/list-applications";
import { json, readQuery } from "@/lib/http/route";
import { withOrg } from "@/lib/security/guard";

export const GET = withOrg<{ slug: string }>({ permission: "applications:review" }, async (request, ctx) => {
  const params = readQuery(request, listApplicationsQuery);
  const page = await listApplications({ organizationId: ctx.organization.id, ...params });
  return json({ items: page.items.map(toApplicationDto), nextCursor: page.nextCursor }, { requestId: ctx.requestId });
});
