// One webhook endpoint: GET, PATCH (url, description, eventTypes, enabled: true re-enables a disabled one), DELETE.
import { json, readJson } from "@/lib/http/route";
import { auditActorOf, withAuth } from "@/lib/security/guard";
import {
  deleteEndpoint,
  endpointUpdate,
  getEndpointOrThrow,
  toEndpointDto,
  updateEndpoint,
} from "@/lib/webhooks/endpoints";
import { endpointParams } from "@/lib/webhooks/params";

type Params = { slug: string; endpointId: string };

export const GET = withAuth<Params>(
  { auth: "session", permission: "webhooks:manage" },
  async (_request, ctx, params) => {
    const { endpointId } = endpointParams.parse(params);
    const endpoint = await getEndpointOrThrow({ organizationId: ctx.organization.id, endpointId });
    return json({ endpoint: toEndpointDto(endpoint) }, { requestId: ctx.requestId });
  },
);

export const PATCH = withAuth<Params>(
  { auth: "session", permission: "webhooks:manage" },
  async (request, ctx, params) => {
    const { endpointId } = endpointParams.parse(params);
    const input = await readJson(request, endpointUpdate, { maxBytes: 8 * 1024 });
    const endpoint = await updateEndpoint({
      organizationId: ctx.organization.id,
      endpointId,
      input,
      actor: auditActorOf(ctx),
      ip: ctx.ip,
    });
    return json({ endpoint }, { requestId: ctx.requestId });
  },
);

export const DELETE = withAuth<Params>(
  { auth: "session", permission: "webhooks:manage" },
  async (_request, ctx, params) => {
    const { endpointId } = endpointParams.parse(params);
    await deleteEndpoint({ organizationId: ctx.organization.id, endpointId, actor: auditActorOf(ctx), ip: ctx.ip });
    return json({ deleted: true }, { requestId: ctx.requestId });
  },
);
