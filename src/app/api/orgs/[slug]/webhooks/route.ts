// Webhook endpoints of an organization (permission webhooks:manage). GET lists them; POST creates one and returns
// its signing secret once, in this response only.
import { json, readJson } from "@/lib/http/route";
import { auditActorOf, withAuth } from "@/lib/security/guard";
import { createEndpoint, endpointInput, listEndpoints } from "@/lib/webhooks/endpoints";

type Params = { slug: string };

export const GET = withAuth<Params>({ auth: "session", permission: "webhooks:manage" }, async (_request, ctx) => {
  return json(
    { endpoints: await listEndpoints({ organizationId: ctx.organization.id }) },
    { requestId: ctx.requestId },
  );
});

export const POST = withAuth<Params>({ auth: "session", permission: "webhooks:manage" }, async (request, ctx) => {
  const input = await readJson(request, endpointInput, { maxBytes: 8 * 1024 });
  const created = await createEndpoint({
    organizationId: ctx.organization.id,
    input,
    actor: auditActorOf(ctx),
    ip: ctx.ip,
  });
  return json(created, { status: 201, requestId: ctx.requestId });
});
