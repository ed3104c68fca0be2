// Every cookie Guildgate sets is built here: httpOnly, SameSite=Lax, Secure outside development, so no cookie can be
// added with weaker flags by forgetting one.
import { env } from "@/lib/env";

export type CookieOptions = { name: string; value: string; maxAgeSeconds: number; path?: string };

export function buildCookie(options: CookieOptions): string {
  const parts = [
    `${options.name}=${options.value}`,
    `Path=${options.path ?? "/"}`,
    "HttpOnly",
    "SameSite=Lax",
    `Max-Age=${Math.max(0, Math.round(options.maxAgeSeconds))}`,
  ];
  if (env.NODE_ENV !== "development") parts.push("Secure");
  return parts.join("; ");
}

/** The cookie that removes `name` at `path`. */
export function clearedCookie(name: string, path = "/"): string {
  return buildCookie({ name, value: "", maxAgeSeconds: 0, path });
}

/** Reads one cookie from a Cookie header value. */
export function readCookie(header: string | null, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) {
      const value = part.slice(eq + 1).trim();
      try {
        return decodeURIComponent(value);
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}
