// Issue 25 item 3: admins and applicants sign in through one Discord OAuth leg (state, PKCE, flow cookie), one
// cookie builder and one coded error recognised by brand.
import { afterEach, expect, it, vi } from "vitest";
import { buildCookie } from "@/lib/security/cookies";
import {
  ADMIN_SIGN_IN,
  APPLICANT_SIGN_IN,
  isSignInError,
  SignInError,
  startDiscordSignIn,
} from "@/lib/security/discord-oauth";
import { resetEnvCache } from "@/lib/env";

afterEach(() => {
  vi.unstubAllEnvs();
  resetEnvCache();
});

it.each([ADMIN_SIGN_IN, APPLICANT_SIGN_IN])(
  "$purpose: PKCE S256, identify only, the flow's callback and cookie",
  async (flow) => {
    const { authorizeUrl, cookie } = await startDiscordSignIn(flow, { redirectTo: "/x", returnHint: "demo" });
    const url = new URL(authorizeUrl);
    expect(url.searchParams.get("scope")).toBe("identify");
    expect(url.searchParams.get("code_challenge_method")).toBe("S256");
    expect(url.searchParams.get("redirect_uri")).toMatch(new RegExp(`${flow.callbackPath}$`));
    expect(cookie).toMatch(
      new RegExp(
        `^${flow.cookie}=[A-Za-z0-9_-]{43}\\.[A-Za-z0-9_-]{43}\\.demo; Path=${flow.callbackPath}; HttpOnly; SameSite=Lax; Max-Age=300`,
      ),
    );
  },
);

it("every cookie is httpOnly and SameSite=Lax, and Secure outside development", () => {
  vi.stubEnv("NODE_ENV", "production");
  resetEnvCache();
  expect(buildCookie({ name: "a", value: "b", maxAgeSeconds: 10 })).toBe(
    "a=b; Path=/; HttpOnly; SameSite=Lax; Max-Age=10; Secure",
  );
  vi.stubEnv("NODE_ENV", "development");
  resetEnvCache();
  expect(buildCookie({ name: "a", value: "b", maxAgeSeconds: 10, path: "/p" })).toBe(
    "a=b; Path=/p; HttpOnly; SameSite=Lax; Max-Age=10",
  );
});

it("a sign-in error is recognised by its brand, also when thrown by a second instance of the module", async () => {
  vi.resetModules();
  const other = await import("@/lib/security/discord-oauth");
  const foreign = new other.SignInError("cancelled");
  expect(foreign).not.toBeInstanceOf(SignInError);
  expect(isSignInError(foreign)).toBe(true);
  expect(isSignInError(new Error("sign-in failed: cancelled"))).toBe(false);
  expect(isSignInError({ code: "cancelled" })).toBe(false);
});
