// GET /api/apply/callback : Discord's redirect after "Apply with Discord". Sets the applicant cookie and returns
// to the apply page; failures return there with ?error=<code>.
import { clearedApplyFlowCookie, completeApplicantSignIn } from "@/lib/applications/intake/applicant-auth";
import { isSignInError } from "@/lib/security/discord-oauth";
import { route } from "@/lib/http/route";
import { limitSignIn } from "@/lib/rate-limit";
import { clientIp } from "@/lib/security/origin";
import { redirectTo } from "@/lib/security/redirect";

export const dynamic = "force-dynamic";

export const GET = route(async (request) => {
  const ip = clientIp(request);
  await limitSignIn(ip);
  try {
    const result = await completeApplicantSignIn({
      query: new URL(request.url).searchParams,
      cookieHeader: request.headers.get("cookie"),
      ip,
    });
    return redirectTo(result.redirectTo, [result.cookie, clearedApplyFlowCookie()]);
  } catch (error) {
    if (isSignInError(error))
      return redirectTo(`${error.returnTo ?? "/"}?error=${error.code}`, [clearedApplyFlowCookie()]);
    throw error;
  }
});
