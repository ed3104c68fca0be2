// GET /api/orgs/[slug]/bot/health[?fresh=1]: whether the bot can do its job in the guild, with fixes for each
// problem. Answers are kept 30 s; `fresh=1` ("Check again") asks Discord now. Both are limited per organization.
import { checkGuildHealth } from "@/lib/bot-connection/guild-health";
import { json } from "@/lib/http/route";
import { auditActorOf, withAuth } from "@/lib/security/guard";

export const GET = withAuth<{ slug: string }>({ auth: "session", permission: "bot:manage" }, async (request, ctx) => {
  const fresh = new URL(request.url).searchParams.get("fresh") === "1";
  return json({
    health: await checkGuildHealth({ organizationId: ctx.organization.id, userId: auditActorOf(ctx).userId, fresh }),
  });
});
