// GET /api/auth/discord/callback: Discord's redirect after sign-in. Failures go back to /signin?error=<code>.
import { route } from "@/lib/http/route";
import { limitSignIn } from "@/lib/rate-limit";
import { clearedLoginCookie, completeSignIn, isSignInError } from "@/lib/security/discord-sign-in";
import { clientIp } from "@/lib/security/origin";
import { redirectTo } from "@/lib/security/redirect";

export const dynamic = "force-dynamic";

export const GET = route(async (request) => {
  await limitSignIn(clientIp(request));
  try {
    const result = await completeSignIn({
      query: new URL(request.url).searchParams,
      cookieHeader: request.headers.get("cookie"),
      userAgent: request.headers.get("user-agent"),
      ip: clientIp(request),
    });
    return redirectTo(result.redirectTo, [result.sessionCookie, clearedLoginCookie()]);
  } catch (error) {
    if (isSignInError(error)) return redirectTo(`/signin?error=${error.code}`, [clearedLoginCookie()]);
    throw error;
  }
});
