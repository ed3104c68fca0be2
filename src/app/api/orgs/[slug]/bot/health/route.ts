// GET /api/orgs/[slug]/bot/health: whether the bot can do its job in the guild, with fixes for each problem.
import { checkGuildHealth } from "@/lib/bot-connection/guild-health";
import { json } from "@/lib/http/route";
import { withOrg } from "@/lib/security/guard";

export const GET = withOrg<{ slug: string }>({ permission: "bot:manage" }, async (_request, ctx) => {
  return json({ health: await checkGuildHealth({ organizationId: ctx.organization.id }) });
});
