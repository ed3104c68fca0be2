// API tokens of an organization. GET lists them (never the token or its hash); POST creates one and returns the
// token once, in this response only.
import { json, readJson } from "@/lib/http/route";
import { createApiToken } from "@/lib/api-tokens/manage-tokens";
import { createTokenSchema, listTokens } from "@/lib/security/api-tokens";
import { memberActorOf, withAuth } from "@/lib/security/guard";

type Params = { slug: string };

export const GET = withAuth<Params>({ auth: "session", permission: "tokens:manage" }, async (_request, ctx) => {
  return json({ tokens: await listTokens(ctx.organization.id) });
});

export const POST = withAuth<Params>({ auth: "session", permission: "tokens:manage" }, async (request, ctx) => {
  const input = await readJson(request, createTokenSchema, { maxBytes: 2048 });
  const token = await createApiToken({
    organizationId: ctx.organization.id,
    actor: { userId: memberActorOf(ctx).userId, ip: ctx.ip },
    ...input,
  });
  return json({ token }, { status: 201 });
});
