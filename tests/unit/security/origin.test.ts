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

it("takes the first forwarded hop as the client ip and ignores garbage", () => {
  expect(clientIp(req({ "x-forwarded-for": "203.0.113.9, 10.0.0.1" }))).toBe("203.0.113.9");
  expect(clientIp(req({ "x-real-ip": "2001:db8::1" }))).toBe("2001:db8::1");
  expect(clientIp(req({ "x-forwarded-for": "<script>" }))).toBeNull();
  expect(clientIp(req({}))).toBeNull();
});
