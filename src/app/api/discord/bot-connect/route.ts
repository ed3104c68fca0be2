// GET /api/discord/bot-connect?org=<slug>: the settings page's "Connect bot" link. Needs `bot:manage` in that
// organization; redirects to Discord's consent page for an advanced bot authorization. A browser follows this link,
// so denials are pages too: sign-in (back to the settings page), or /dashboard?error=forbidden.
import { startBotConnect } from "@/lib/bot-connection/start-connect";
import { withAuth } from "@/lib/security/guard";
import { redirectTo } from "@/lib/security/redirect";

export const dynamic = "force-dynamic";

export const GET = withAuth(
  {
    auth: "session",
    permission: "bot:manage",
    slug: (request) => new URL(request.url).searchParams.get("org") ?? "",
    navigation: { signInNext: (slug) => `/dashboard/${encodeURIComponent(slug)}/settings` },
  },
  async (_request, ctx) => {
    const { authorizeUrl } = await startBotConnect({ organizationId: ctx.organization.id, userId: ctx.actor.userId });
    return redirectTo(authorizeUrl);
  },
);
