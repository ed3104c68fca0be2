// Review in Discord. GET: the guild's text channels (with what the bot lacks in each) and roles, and the current
// choice. PUT { reviewChannelId | null, reviewerRoleIds }: where new applications are posted and who may decide
// there without a Guildgate membership.
import { getReviewSettings, reviewSettingsInput, updateReviewSettings } from "@/lib/bot-connection/review-settings";
import { json, readJson } from "@/lib/http/route";
import { auditActorOf, withAuth } from "@/lib/security/guard";

type Params = { slug: string };

export const GET = withAuth<Params>({ auth: "session", permission: "bot:manage" }, async (request, ctx) => {
  const fresh = new URL(request.url).searchParams.get("fresh") === "1";
  return json({
    settings: await getReviewSettings({ organizationId: ctx.organization.id, userId: auditActorOf(ctx).userId, fresh }),
  });
});

export const PUT = withAuth<Params>({ auth: "session", permission: "bot:manage" }, async (request, ctx) => {
  const input = await readJson(request, reviewSettingsInput, { maxBytes: 4 * 1024 });
  const actor = { ...auditActorOf(ctx), ip: ctx.ip };
  return json({ settings: await updateReviewSettings({ organizationId: ctx.organization.id, input, actor }) });
});
