// DELETE revokes one API token of the organization (effective on the next request that uses it).
import { json } from "@/lib/http/route";
import { revokeApiTokenOrThrow } from "@/lib/api-tokens/manage-tokens";
import { memberActorOf, withAuth } from "@/lib/security/guard";

export const DELETE = withAuth<{ slug: string; id: string }>(
  { auth: "session", permission: "tokens:manage" },
  async (_request, ctx, params) => {
    const token = await revokeApiTokenOrThrow({
      organizationId: ctx.organization.id,
      tokenId: params.id,
      actor: { userId: memberActorOf(ctx).userId, ip: ctx.ip },
    });
    return json({ token });
  },
);
