// POST /api/apply/logout : the applicant signs out (their session row is deleted and the cookie cleared), then
// returns to the apply page they came from (?next=/apply/...; anything else goes to /). Same-origin only.
import { clearedApplicantCookie, endApplicantSession, applicantTokenFromRequest } from "@/lib/applicants/session";
import { AppError } from "@/lib/errors/app-error";
import { route } from "@/lib/http/route";
import { isSameOrigin } from "@/lib/security/origin";
import { redirectTo } from "@/lib/security/redirect";

export const dynamic = "force-dynamic";

const NEXT = /^\/apply\/[a-z0-9-]{1,64}(?:\/[a-z0-9-]{1,40})?$/;

export const POST = route(async (request) => {
  if (!isSameOrigin(request)) throw new AppError("cross_origin", "Sign out from the application page.");
  await endApplicantSession(applicantTokenFromRequest(request));
  const next = new URL(request.url).searchParams.get("next") ?? "";
  return redirectTo(NEXT.test(next) ? next : "/", [clearedApplicantCookie()]);
});
