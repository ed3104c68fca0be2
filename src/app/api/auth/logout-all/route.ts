// POST /api/auth/logout-all: "sign out everywhere" deletes every session of the signed-in user.
import { json } from "@/lib/http/route";
import { withAuth } from "@/lib/security/guard";
import { clearedSessionCookie, signOutEverywhere } from "@/lib/security/session";

export const POST = withAuth({ auth: "session" }, async (_request, ctx) => {
  const sessions = await signOutEverywhere({ userId: ctx.user.id, ip: ctx.ip });
  return json({ ok: true, sessions }, { headers: { "Set-Cookie": clearedSessionCookie() } });
});
