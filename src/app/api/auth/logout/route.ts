// POST /api/auth/logout: ends this browser's session. Same-origin only, so another site cannot sign you out.
import { AppError } from "@/lib/errors/app-error";
import { json, route } from "@/lib/http/route";
import { isSameOrigin } from "@/lib/security/origin";
import { clearedSessionCookie, deleteSession, sessionTokenFromRequest } from "@/lib/security/session";

export const POST = route(async (request) => {
  if (!isSameOrigin(request))
    throw new AppError("cross_origin", "This request must come from the Guildgate dashboard.");
  await deleteSession({ token: sessionTokenFromRequest(request) });
  return json({ ok: true }, { headers: { "Set-Cookie": clearedSessionCookie() } });
});
