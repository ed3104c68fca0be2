// GET /api/orgs/[slug]/applicant-settings/channels : the connected guild's text channels, to pick the log channel
// (?fresh=1 asks Discord now instead of the 30 s answer).
import { listLogChannels } from "@/lib/applicants/log-channels";
import { json } from "@/lib/http/route";
import { auditActorOf, withAuth } from "@/lib/security/guard";

type Params = { slug: string };

export const GET = withAuth<Params>({ auth: "session", permission: "applicants:manage" }, async (request, ctx) => {
  const fresh = new URL(request.url).searchParams.get("fresh") === "1";
  const channels = await listLogChannels({
    organizationId: ctx.organization.id,
    userId: auditActorOf(ctx).userId,
    fresh,
  });
  return json({ channels }, { requestId: ctx.requestId });
});
