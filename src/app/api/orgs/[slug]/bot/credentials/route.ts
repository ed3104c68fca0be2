// Bring your own bot. PUT { applicationId, clientSecret, botToken } (checked with Discord first); DELETE returns the
// organization to the platform bot. Secrets are never echoed back.
import { ownBotInput, removeOwnBot, setOwnBot } from "@/lib/bot-connection/own-bot";
import { json, readJson } from "@/lib/http/route";
import { auditActorOf, withAuth, type OrgContext } from "@/lib/security/guard";

type Params = { slug: string };

const actorOf = (ctx: OrgContext) => ({ organizationId: ctx.organization.id, ...auditActorOf(ctx), ip: ctx.ip });

export const PUT = withAuth<Params>({ auth: "session", permission: "bot:manage" }, async (request, ctx) => {
  const input = await readJson(request, ownBotInput, { maxBytes: 2 * 1024 });
  const result = await setOwnBot({ ...actorOf(ctx), input });
  return json({ ownBotApplicationId: result.applicationId });
});

export const DELETE = withAuth<Params>({ auth: "session", permission: "bot:manage" }, async (_request, ctx) => {
  await removeOwnBot(actorOf(ctx));
  return json({ ownBotApplicationId: null });
});
