// GET: the organization's bot connection (any member). DELETE: disconnect the bot (`bot:manage`).
import { disconnectBot } from "@/lib/bot-connection/disconnect";
import { getBotConnection } from "@/lib/bot-connection/get-connection";
import { json } from "@/lib/http/route";
import { auditActorOf, withAuth } from "@/lib/security/guard";

type Params = { slug: string };

export const GET = withAuth<Params>({ auth: "session", permission: "org:read" }, async (_request, ctx) => {
  return json({ connection: await getBotConnection({ organizationId: ctx.organization.id }) });
});

export const DELETE = withAuth<Params>({ auth: "session", permission: "bot:manage" }, async (_request, ctx) => {
  const result = await disconnectBot({ organizationId: ctx.organization.id, ...auditActorOf(ctx), ip: ctx.ip });
  return json({ disconnected: true, leftGuild: result.leftGuild });
});
