// GET /api/discord/bot-callback: Discord's redirect after the bot authorization. Always answers with a redirect to
// the settings page: `?success=bot_connected` or `?error=<code>` (before the caller is authorized for the
// organization, to /dashboard, so the response reveals nothing about it). It is a browser navigation, so even an
// unexpected failure is a redirect (`internal_error`), never a JSON error body.
import { completeBotConnect, type BotConnectResult } from "@/lib/bot-connection/complete-connect";
import { route } from "@/lib/http/route";
import { logger, safeErrorFields } from "@/lib/logger";
import { clientIp } from "@/lib/security/origin";
import { redirectTo } from "@/lib/security/redirect";
import { getSession } from "@/lib/security/session";

export const dynamic = "force-dynamic";

export const GET = route(async (request) => {
  const result = await callbackResult(request);
  if (result.ok) return redirectTo(`/dashboard/${result.slug}/settings?success=bot_connected`);
  const base = result.slug ? `/dashboard/${result.slug}/settings` : "/dashboard";
  return redirectTo(`${base}?error=${result.error}`);
});

async function callbackResult(request: Request): Promise<BotConnectResult> {
  let userId: string | null;
  try {
    userId = (await getSession({ request }))?.user.id ?? null;
  } catch (error) {
    logger.error({ err: safeErrorFields(error) }, "bot connect: reading the session failed");
    return { ok: false, error: "internal_error" };
  }
  // completeBotConnect turns every failure into a result; it does not throw.
  return completeBotConnect({ query: new URL(request.url).searchParams, userId, ip: clientIp(request) });
}
