// POST: queue a `webhook.test` event to this endpoint; 202 with the delivery id to follow in the log.
import { json } from "@/lib/http/route";
import { auditActorOf, withAuth } from "@/lib/security/guard";
import { sendTestEvent } from "@/lib/webhooks/endpoints";
import { endpointParams } from "@/lib/webhooks/params";

export const POST = withAuth<{ slug: string; endpointId: string }>(
  { auth: "session", permission: "webhooks:manage" },
  async (_request, ctx, params) => {
    const { endpointId } = endpointParams.parse(params);
    const sent = await sendTestEvent({
      organizationId: ctx.organization.id,
      endpointId,
      actor: auditActorOf(ctx),
      ip: ctx.ip,
    });
    return json(sent, { status: 202, requestId: ctx.requestId });
  },
);
