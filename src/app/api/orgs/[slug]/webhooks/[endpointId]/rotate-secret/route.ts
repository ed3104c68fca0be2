// POST: a new signing secret, returned once; the previous one keeps signing for 24 hours (both signatures sent).
import { json } from "@/lib/http/route";
import { auditActorOf, withAuth } from "@/lib/security/guard";
import { rotateEndpointSecret } from "@/lib/webhooks/endpoints";
import { endpointParams } from "@/lib/webhooks/params";

export const POST = withAuth<{ slug: string; endpointId: string }>(
  { auth: "session", permission: "webhooks:manage" },
  async (_request, ctx, params) => {
    const { endpointId } = endpointParams.parse(params);
    const rotated = await rotateEndpointSecret({
      organizationId: ctx.organization.id,
      endpointId,
      actor: auditActorOf(ctx),
      ip: ctx.ip,
    });
    return json(rotated, { requestId: ctx.requestId });
  },
);
