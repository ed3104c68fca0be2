// POST: send this delivery once more now (same event id).
import { json } from "@/lib/http/route";
import { auditActorOf, withAuth } from "@/lib/security/guard";
import { redeliver } from "@/lib/webhooks/deliveries";
import { deliveryParams } from "@/lib/webhooks/params";

export const POST = withAuth<{ slug: string; endpointId: string; deliveryId: string }>(
  { auth: "session", permission: "webhooks:manage" },
  async (_request, ctx, params) => {
    const { endpointId, deliveryId } = deliveryParams.parse(params);
    const delivery = await redeliver({
      organizationId: ctx.organization.id,
      endpointId,
      deliveryId,
      actor: auditActorOf(ctx),
      ip: ctx.ip,
    });
    return json({ delivery }, { status: 202, requestId: ctx.requestId });
  },
);
