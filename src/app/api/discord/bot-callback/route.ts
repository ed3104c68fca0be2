// GET /api/discord/bot-callback: Discord's redirect after the bot authorization. Always answers with a redirect to
// the settings page: `?success=bot_connected` or `?error=<code>` (before the caller is authorized for the
// organization, to /dashboard, so the response reveals nothing about it).
import { completeBotConnect } from "@/lib/bot-connection/complete-connect";
import { route } from "@/lib/http/route";
import { clientIp } from "@/lib/security/origin";
import { redirectTo } from "@/lib/security/redirect";
import { getSession } from "@/lib/security/session";

export const dynamic = "force-dynamic";

export const GET = route(async (request) => {
  const session = await getSession({ request });
  const result = await completeBotConnect({
    query: new URL(request.url).searchParams,
    userId: session?.user.id ?? null,
    ip: clientIp(request),
  });
  if (result.ok) return redirectTo(`/dashboard/${result.slug}/settings?success=bot_connected`);
  const base = result.slug ? `/dashboard/${result.slug}/settings` : "/dashboard";
  return redirectTo(`${base}?error=${result.error}`);
});
