// Response headers every page and route carries (set by src/proxy.ts). The Content-Security-Policy allows scripts
// only with this request's nonce (Next.js reads it from the request's CSP header and puts it on its own scripts),
// so an injected <script> does not run; nothing may frame the app, load plugins or rewrite the base URL.
export type SecurityHeadersOptions = { nonce: string; production: boolean };

/** A fresh nonce per request: 16 random bytes, base64. */
export function createNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
}

export function contentSecurityPolicy({ nonce, production }: SecurityHeadersOptions): string {
  const directives = [
    "default-src 'self'",
    // 'strict-dynamic': scripts Next's nonce-carrying scripts load are trusted; 'self' is ignored by browsers that
    // know strict-dynamic. Development's React refresh needs eval.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${production ? "" : " 'unsafe-eval'"}`,
    // Production CSS comes as <link> files; development injects <style> tags for hot reload.
    `style-src 'self'${production ? ` 'nonce-${nonce}'` : " 'unsafe-inline'"}`,
    "img-src 'self' data: blob:",
    "font-src 'self'",
    // Development's hot reload talks over a websocket to the same host.
    `connect-src 'self'${production ? "" : " ws: wss:"}`,
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
    ...(production ? ["upgrade-insecure-requests"] : []),
  ];
  return directives.join("; ");
}

/** Every security header for a response, the CSP included. HSTS only in production (development is plain HTTP). */
export function securityHeaders(options: SecurityHeadersOptions): Record<string, string> {
  return {
    "Content-Security-Policy": contentSecurityPolicy(options),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    ...(options.production ? { "Strict-Transport-Security": "max-age=63072000; includeSubDomains" } : {}),
  };
}
