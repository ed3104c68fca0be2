// Issue 11 item 7: every response through src/proxy.ts carries a nonce-based CSP (the nonce also handed to the
// render), frame-ancestors/object-src/base-uri 'none', the usual headers, and HSTS in production only; `next dev`
// does not print OAuth callback URLs.
import { NextRequest } from "next/server";
import { afterEach, describe, expect, it, vi } from "vitest";
import nextConfig, { OAUTH_QUERY } from "../../../next.config";
import { resetEnvCache } from "@/lib/env";
import { proxy } from "@/proxy";

afterEach(() => {
  vi.unstubAllEnvs();
  resetEnvCache();
});

function run(nodeEnv: "production" | "development") {
  vi.stubEnv("NODE_ENV", nodeEnv);
  resetEnvCache();
  return proxy(new NextRequest("http://localhost:3000/dashboard/acme"));
}

function directives(csp: string): Map<string, string> {
  return new Map(
    csp
      .split(";")
      .map((d) => d.trim().split(/\s+/))
      .map(([name, ...values]) => [name!, values.join(" ")]),
  );
}

it("production: a nonce-based CSP with frame-ancestors, object-src and base-uri 'none', HSTS, nosniff, referrer policy", () => {
  const response = run("production");
  const csp = response.headers.get("content-security-policy")!;
  const d = directives(csp);
  const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(d.get("script-src")!)![1]!;
  expect(Buffer.from(nonce, "base64")).toHaveLength(16);
  expect(d.get("script-src")).not.toContain("unsafe-inline");
  expect(d.get("script-src")).not.toContain("unsafe-eval");
  expect(d.get("frame-ancestors")).toBe("'none'");
  expect(d.get("object-src")).toBe("'none'");
  expect(d.get("base-uri")).toBe("'none'");
  expect(response.headers.get("strict-transport-security")).toMatch(/^max-age=\d{8,}/);
  expect(response.headers.get("x-content-type-options")).toBe("nosniff");
  expect(response.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
  // The same policy goes to the render on the request, which is where Next.js reads the nonce for its scripts.
  expect(response.headers.get("x-middleware-override-headers")).toContain("content-security-policy");
  expect(response.headers.get("x-middleware-request-content-security-policy")).toBe(csp);
});

it("a fresh nonce per request", () => {
  const a = run("production").headers.get("content-security-policy");
  const b = run("production").headers.get("content-security-policy");
  expect(a).not.toBe(b);
});

it("development: no HSTS (plain HTTP), eval for hot reload, the same frame/object/base restrictions", () => {
  const response = run("development");
  expect(response.headers.get("strict-transport-security")).toBeNull();
  const d = directives(response.headers.get("content-security-policy")!);
  expect(d.get("script-src")).toContain("'unsafe-eval'");
  expect(d.get("frame-ancestors")).toBe("'none'");
});

it("`next dev` does not log request URLs carrying OAuth's code or state", () => {
  const ignore = (nextConfig.logging as { incomingRequests: { ignore: RegExp[] } }).incomingRequests.ignore;
  expect(ignore).toContain(OAUTH_QUERY);
  for (const url of [
    "/api/auth/discord/callback?code=abc&state=xyz",
    "/api/apply/callback?state=s&code=c",
    "/api/discord/bot-callback?error=access_denied&state=s",
  ]) {
    expect(
      ignore.some((r) => r.test(url)),
      url,
    ).toBe(true);
  }
  expect(ignore.some((r) => r.test("/dashboard/acme/applications?status=PENDING"))).toBe(false);
});

describe("development: one host for the app (issue 27 item 1)", () => {
  function get(url: string, nodeEnv: "production" | "development", appUrl: string, method = "GET") {
    vi.stubEnv("NODE_ENV", nodeEnv);
    vi.stubEnv("APP_URL", appUrl);
    resetEnvCache();
    return proxy(new NextRequest(url, { method, headers: { host: new URL(url).host } }));
  }

  it("explains a page opened on another host of the dev server, with a link to the same page on APP_URL's host", async () => {
    const response = get("http://localhost:3000/dashboard/acme?status=PENDING", "development", "http://127.0.0.1:3000");
    expect(response.status).toBe(421);
    const body = await response.text();
    expect(body).toContain("APP_URL=http://127.0.0.1:3000");
    expect(body).toContain('href="http://127.0.0.1:3000/dashboard/acme?status=PENDING"');
    expect(body).toContain("APP_URL=http://localhost:3000 npm run dev");
    expect(response.headers.get("Content-Security-Policy")).toContain("frame-ancestors 'none'");
  });

  it("serves APP_URL's own host, API routes and non-GET requests as they are", () => {
    expect(get("http://127.0.0.1:3000/", "development", "http://127.0.0.1:3000").status).toBe(200);
    expect(get("http://localhost:3000/api/health", "development", "http://127.0.0.1:3000").status).toBe(200);
    expect(get("http://localhost:3000/x", "development", "http://127.0.0.1:3000", "POST").status).toBe(200);
  });

  it("never redirects in production, where a proxy's Host may differ on purpose", () => {
    expect(get("http://internal:3000/", "production", "https://guildgate.example").status).toBe(200);
  });

  it("allows APP_URL's host as a dev origin, so `next dev` on 127.0.0.1 hydrates", async () => {
    vi.stubEnv("APP_URL", "http://127.0.0.1:4010");
    vi.resetModules();
    const config = (await import("../../../next.config")).default;
    expect(config.allowedDevOrigins).toEqual(["127.0.0.1"]);
  });
});
