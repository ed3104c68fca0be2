// Where a request comes from: same-origin checks for cookie-authenticated state changes (CSRF), and the client IP
// for audit rows.
import { env } from "@/lib/env";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export function isStateChanging(method: string): boolean {
  return !SAFE_METHODS.has(method.toUpperCase());
}

function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/**
 * True when a browser would have sent this request from our own pages. Browsers send Origin on every
 * cross-origin request and on same-origin non-GET requests; when it is missing we fall back to Sec-Fetch-Site.
 * A request carrying neither comes from a non-browser client, which cannot ride a victim's cookies (and the
 * SameSite=Lax cookie is not sent on cross-site POSTs anyway), so it is allowed.
 */
export function isSameOrigin(request: Request): boolean {
  const origin = request.headers.get("origin");
  if (origin !== null) {
    if (origin === "null") return false;
    const allowed = new Set([originOf(env.APP_URL), originOf(request.url)]);
    return allowed.has(origin);
  }
  const site = request.headers.get("sec-fetch-site");
  if (site !== null) return site === "same-origin" || site === "none";
  return true;
}

export type ClientIpOptions = { trustedProxyHops?: number };

/**
 * The client address for audit rows. Each trusted proxy appends the address it saw to X-Forwarded-For, so the
 * client is `trustedProxyHops` entries from the right; entries further left are whatever the client sent. With no
 * X-Forwarded-For, X-Real-IP (set by the proxy). With no trusted proxy, neither header is believed. Null when unknown.
 */
export function clientIp(request: Request, options: ClientIpOptions = {}): string | null {
  const hops = options.trustedProxyHops ?? env.TRUSTED_PROXY_HOPS;
  if (hops === 0) return null;
  const entries = (request.headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((e) => e.trim())
    .filter(Boolean);
  const ip = entries.length ? entries[Math.max(0, entries.length - hops)] : request.headers.get("x-real-ip")?.trim();
  if (!ip || ip.length > 64 || !/^[0-9A-Fa-f.:]+$/.test(ip)) return null;
  return ip;
}
