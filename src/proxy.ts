// Next.js proxy (the Next 16 name for middleware): runs before every page and route. It creates this request's CSP
// nonce, hands it to the render through the request's Content-Security-Policy header (Next.js puts it on its own
// scripts; the root layout renders dynamically so every page gets one), and sets the security headers.
import { NextResponse, type NextRequest } from "next/server";
import { env } from "@/lib/env";
import { createNonce, securityHeaders } from "@/lib/http/security-headers";

/**
 * Development only: a page opened on another host of this server (localhost vs 127.0.0.1) than APP_URL would set
 * its sign-in cookies on a host the OAuth callback (built from APP_URL) never sees, and fail as "link expired".
 * Say so and link to APP_URL's host. Not a redirect: Next spells every loopback host "localhost" and turns such a
 * Location into a relative one, a loop. Production sits behind proxies whose Host may differ on purpose.
 */
function appHostMismatch(request: NextRequest): NextResponse | undefined {
  if (env.NODE_ENV !== "development" || (request.method !== "GET" && request.method !== "HEAD")) return undefined;
  if (request.nextUrl.pathname.startsWith("/api/")) return undefined;
  const app = new URL(env.APP_URL);
  const host = request.headers.get("host");
  if (!host || host === app.host) return undefined;
  const target = new URL(`${request.nextUrl.pathname}${request.nextUrl.search}`, app).toString();
  const html = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Open Guildgate at ${html(app.host)}</title>
<meta http-equiv="refresh" content="3;url=${html(target)}"></head><body>
<h1>Open Guildgate at ${html(app.host)}</h1>
<p>This development server runs with <code>APP_URL=${html(app.origin)}</code>, but this page was opened as
<code>${html(host)}</code>. Discord sign-in returns to APP_URL's host, so it only works there.</p>
<p><a href="${html(target)}">Continue at ${html(target)}</a> (in 3 seconds). To use <code>${html(host)}</code> instead,
start with <code>APP_URL=http://${html(host)} npm run dev</code>.</p></body></html>`;
  return new NextResponse(body, { status: 421, headers: { "content-type": "text/html; charset=utf-8" } });
}

export function proxy(request: NextRequest): NextResponse {
  const headers = securityHeaders({ nonce: createNonce(), production: env.NODE_ENV === "production" });
  const mismatch = appHostMismatch(request);
  const forwarded = new Headers(request.headers);
  forwarded.set("Content-Security-Policy", headers["Content-Security-Policy"]!);
  const response = mismatch ?? NextResponse.next({ request: { headers: forwarded } });
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

export const config = {
  // Not for build assets (immutable files that carry no script), nor prefetches that render nothing themselves.
  matcher: [
    {
      source: "/((?!_next/static|_next/image|favicon.ico).*)",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
