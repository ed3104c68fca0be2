import { expect, it } from "vitest";
import { clientIp, isSameOrigin } from "@/lib/security/origin";

const req = (headers: Record<string, string>, url = "http://localhost:3000/api/x") =>
  new Request(url, { method: "POST", headers });

it("accepts our origin, the request's own origin and header-less clients; refuses others", () => {
  expect(isSameOrigin(req({ origin: "http://localhost:3000" }))).toBe(true);
  expect(isSameOrigin(req({ origin: "https://app.example" }, "https://app.example/api/x"))).toBe(true);
  expect(isSameOrigin(req({}))).toBe(true);
  expect(isSameOrigin(req({ "sec-fetch-site": "same-origin" }))).toBe(true);
  expect(isSameOrigin(req({ origin: "https://evil.example" }))).toBe(false);
  expect(isSameOrigin(req({ origin: "null" }))).toBe(false);
  expect(isSameOrigin(req({ "sec-fetch-site": "cross-site" }))).toBe(false);
});

it("takes the address our proxy appended (the last forwarded entry), not the client-controlled first one", () => {
  expect(clientIp(req({ "x-forwarded-for": "203.0.113.9, 198.51.100.4" }))).toBe("198.51.100.4");
  expect(clientIp(req({ "x-forwarded-for": "1.2.3.4" }))).toBe("1.2.3.4");
  // Two trusted proxies: the client is the second entry from the right.
  expect(clientIp(req({ "x-forwarded-for": "203.0.113.9, 198.51.100.4, 10.0.0.1" }), { trustedProxyHops: 2 })).toBe(
    "198.51.100.4",
  );
  expect(clientIp(req({ "x-forwarded-for": "198.51.100.4" }), { trustedProxyHops: 2 })).toBe("198.51.100.4");
  // No proxy: nothing in the headers is believed.
  expect(
    clientIp(req({ "x-forwarded-for": "198.51.100.4", "x-real-ip": "198.51.100.5" }), { trustedProxyHops: 0 }),
  ).toBeNull();
});

it("falls back to X-Real-IP and ignores garbage", () => {
  expect(clientIp(req({ "x-real-ip": "2001:db8::1" }))).toBe("2001:db8::1");
  expect(clientIp(req({ "x-forwarded-for": "<script>" }))).toBeNull();
  expect(clientIp(req({}))).toBeNull();
});
