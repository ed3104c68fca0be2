// GET /api/auth/discord/login?next=/dashboard/x: sends the browser to Discord's consent page.
import { route } from "@/lib/http/route";
import { limitSignIn } from "@/lib/rate-limit";
import { clientIp } from "@/lib/security/origin";
import { isSignInError, startSignIn } from "@/lib/security/discord-sign-in";
import { redirectTo } from "@/lib/security/redirect";

export const dynamic = "force-dynamic";

export const GET = route(async (request) => {
  await limitSignIn(clientIp(request));
  try {
    const { authorizeUrl, cookie } = await startSignIn({ next: new URL(request.url).searchParams.get("next") });
    return redirectTo(authorizeUrl, [cookie]);
  } catch (error) {
    if (isSignInError(error)) return redirectTo(`/signin?error=${error.code}`);
    throw error;
  }
});
