// Redirects that set cookies. Response.redirect() has immutable headers and takes one URL; OAuth callbacks need a
// 303 with several Set-Cookie headers and a Location relative to the app.
import { env } from "@/lib/env";

export function redirectTo(location: string, cookies: string[] = []): Response {
  const headers = new Headers({ Location: new URL(location, env.APP_URL).toString(), "Cache-Control": "no-store" });
  for (const cookie of cookies) headers.append("Set-Cookie", cookie);
  return new Response(null, { status: 303, headers });
}
