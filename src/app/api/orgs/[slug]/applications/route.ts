// GET /api/orgs/[slug]/applications?status=&cursor=&limit= : the review queue, newest first, keyset-paginated.
import { z } from "zod";
import { ApplicationStatus } from "@/generated/prisma/enums";
import { toApplicationDto } from "@/lib/applications/dto";
import { listApplications, MAX_PAGE_SIZE } from "@/lib/applications/list-applications";
import { json } from "@/lib/http/route";
import { withOrg } from "@/lib/security/guard";

const query = z.object({
  status: z.enum(ApplicationStatus).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(25),
});

export const GET = withOrg<{ slug: string }>({ permission: "applications:review" }, async (request, ctx) => {
  const params = query.parse(Object.fromEntries(new URL(request.url).searchParams));
  const page = await listApplications({ organizationId: ctx.organization.id, ...params });
  return json({ items: page.items.map(toApplicationDto), nextCursor: page.nextCursor }, { requestId: ctx.requestId });
});
