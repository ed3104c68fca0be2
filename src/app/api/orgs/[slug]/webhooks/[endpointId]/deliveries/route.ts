// GET ?cursor=&limit= : the endpoint's delivery log, newest first.
import { json, readQuery } from "@/lib/http/route";
import { withAuth } from "@/lib/security/guard";
import { listDeliveries } from "@/lib/webhooks/deliveries";
import { deliveriesQuery, endpointParams } from "@/lib/webhooks/params";

export const GET = withAuth<{ slug: string; endpointId: string }>(
  { auth: "session", permission: "webhooks:manage" },
  async (request, ctx, params) => {
    const { endpointId } = endpointParams.parse(params);
    const query = readQuery(request, deliveriesQuery);
    const page = await listDeliveries({ organizationId: ctx.organization.id, endpointId, ...query });
    return json(page, { requestId: ctx.requestId });
  },
);
