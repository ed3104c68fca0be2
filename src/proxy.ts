// Next.js proxy (the Next 16 name for middleware): runs before every page and route. It creates this request's CSP
// nonce, hands it to the render through the request's Content-Security-Policy header (Next.js puts it on its own
// scripts; the root layout renders dynamically so every page gets one), and sets the security headers.
import { NextResponse, type NextRequest } from "next/server";
import { env } from "@/lib/env";
import { createNonce, securityHeaders } from "@/lib/http/security-headers";

export function proxy(request: NextRequest): NextResponse {
  const headers = securityHeaders({ nonce: createNonce(), production: env.NODE_ENV === "production" });
  const forwarded = new Headers(request.headers);
  forwarded.set("Content-Security-Policy", headers["Content-Security-Policy"]!);
  const response = NextResponse.next({ request: { headers: forwarded } });
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
