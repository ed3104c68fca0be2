// The organization's audit log, filtered and keyset-paginated:
// GET ?action=&actor=user:<id>|token:<id>&outcome=SUCCESS|DENIED|FAILED&from=&to=&cursor=&limit=
import { listAudit, parseAuditQuery } from "@/lib/audit/list-audit";
import { json } from "@/lib/http/route";
import { withAuth } from "@/lib/security/guard";

export const dynamic = "force-dynamic";

export const GET = withAuth<{ slug: string }>({ auth: "session", permission: "audit:read" }, async (request, ctx) => {
  const query = parseAuditQuery(new URL(request.url).searchParams);
  return json(await listAudit({ organizationId: ctx.organization.id, ...query }));
});
