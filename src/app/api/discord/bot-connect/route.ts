// GET /api/discord/bot-connect?org=<slug>: the settings page's "Connect bot" link. Needs `bot:manage` in that
// organization; redirects to Discord's consent page for an advanced bot authorization. A browser follows this link,
// so denials are pages too: sign-in (back to the settings page), or /dashboard?error=forbidden.
import { route } from "@/lib/http/route";
import { startBotConnect } from "@/lib/bot-connection/start-connect";
import { withOrgNavigation } from "@/lib/security/guard";
import { redirectTo } from "@/lib/security/redirect";

export const dynamic = "force-dynamic";

const connect = withOrgNavigation<{ slug: string }>(
  { permission: "bot:manage", signInNext: ({ slug }) => `/dashboard/${encodeURIComponent(slug)}/settings` },
  async (_request, ctx) => {
    if (ctx.actor.kind !== "user") return redirectTo(`/dashboard/${ctx.organization.slug}/settings?error=forbidden`);
    const { authorizeUrl } = await startBotConnect({ organizationId: ctx.organization.id, userId: ctx.actor.userId });
    return redirectTo(authorizeUrl);
  },
);

export const GET = route(async (request) => {
  const slug = new URL(request.url).searchParams.get("org") ?? "";
  return connect(request, { params: Promise.resolve({ slug }) });
});
