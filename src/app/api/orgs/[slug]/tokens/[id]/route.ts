// DELETE revokes one API token of the organization (effective on the next request that uses it).
import { json } from "@/lib/http/route";
import { revokeApiTokenOrThrow, tokenActorOf } from "@/lib/api-tokens/manage-tokens";
import { withOrg } from "@/lib/security/guard";

export const DELETE = withOrg<{ slug: string; id: string }>({ permission: "tokens:manage" }, async (_request, ctx, params) => {
  const token = await revokeApiTokenOrThrow({ organizationId: ctx.organization.id, tokenId: params.id, actor: tokenActorOf(ctx) });
  return json({ token });
});
