// GET /api/orgs/[slug]/applications?status=&cursor=&limit= : the review queue, newest first, keyset-paginated.
import { toApplicationDto } from "@/lib/applications/dto";
import { listApplications, listApplicationsQuery } from "@/lib/applications/list-applications";
import { json } from "@/lib/http/route";
import { withAuth } from "@/lib/security/guard";

export const GET = withAuth<{ slug: string }>(
  { auth: "session", permission: "applications:review" },
  async (request, ctx) => {
    const params = listApplicationsQuery.parse(Object.fromEntries(new URL(request.url).searchParams));
    const page = await listApplications({ organizationId: ctx.organization.id, ...params });
    return json({ items: page.items.map(toApplicationDto), nextCursor: page.nextCursor }, { requestId: ctx.requestId });
  },
);
