import { createHash } from "node:crypto";
import { expect, it } from "vitest";
import { GET as callback } from "@/app/api/auth/discord/callback/route";
import { GET as login } from "@/app/api/auth/discord/login/route";
import { POST as logout } from "@/app/api/auth/logout/route";
import { POST as logoutAll } from "@/app/api/auth/logout-all/route";
import { db } from "@/lib/db";
import { loginRedirectUri } from "@/lib/security/discord-sign-in";
import { createSession, resolveSession } from "@/lib/security/session";
import { useDiscordFake } from "~tests/fakes/discord";
import { createUserWithSession, dashboardRequest, paramsOf } from "~tests/helpers/auth";

const discord = useDiscordFake();
const none = paramsOf({});

async function startLogin(next?: string) {
  const response = await login(
    new Request(`http://localhost:3000/api/auth/discord/login${next ? `?next=${encodeURIComponent(next)}` : ""}`),
    none,
  );
  expect(response.status).toBe(303);
  const authorize = new URL(response.headers.get("location")!);
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith("gg_login="))!;
  return { authorize, cookie: cookie.split(";")[0]!, setCookie: cookie };
}

function callbackWith(query: Record<string, string>, cookie?: string) {
  const url = new URL("http://localhost:3000/api/auth/discord/callback");
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  return callback(new Request(url, { headers: cookie ? { cookie } : {} }), none);
}

const codeFor = (userId: string) =>
  discord.issueAuthorizationCode({
    clientId: discord.world.platform.id,
    userId,
    scopes: ["identify"],
    redirectUri: loginRedirectUri(),
  });

it("signs in with Discord: identify scope, S256 PKCE, session cookie, user upserted, token not kept", async () => {
  const { authorize, cookie, setCookie } = await startLogin("/dashboard/acme/applications");
  expect(authorize.searchParams.get("scope")).toBe("identify");
  expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");
  expect(authorize.searchParams.get("redirect_uri")).toBe("http://localhost:3000/api/auth/discord/callback");
  expect(setCookie).toMatch(/HttpOnly; SameSite=Lax; Max-Age=300; Secure$/);

  const response = await callbackWith(
    { code: codeFor(discord.world.admin.id), state: authorize.searchParams.get("state")! },
    cookie,
  );
  expect(response.status).toBe(303);
  expect(response.headers.get("location")).toBe("http://localhost:3000/dashboard/acme/applications");
  const cookies = response.headers.getSetCookie();
  const session = cookies.find((c) => c.startsWith("gg_session="))!;
  expect(cookies.some((c) => c.startsWith("gg_login=;") && c.includes("Max-Age=0"))).toBe(true);

  const resolved = await resolveSession({ token: session.split(";")[0]!.slice("gg_session=".length) });
  expect(resolved?.user).toMatchObject({ discordUserId: discord.world.admin.id, name: "Demo Admin" });

  // The verifier sent to the token endpoint is the one whose S256 hash went to the authorize URL.
  const [tokenCall] = discord.requests("POST /oauth2/token");
  const verifier = new URLSearchParams(tokenCall!.body).get("code_verifier")!;
  expect(createHash("sha256").update(verifier).digest("base64url")).toBe(authorize.searchParams.get("code_challenge"));
  expect(await db.vaultSecret.count()).toBe(0);
  expect(await db.auditEvent.count({ where: { action: "auth.sign_in" } })).toBe(1);

  // Signing in again updates the same user.
  discord.world.admin.globalName = "Renamed Admin";
  const again = await startLogin();
  const second = await callbackWith(
    { code: codeFor(discord.world.admin.id), state: again.authorize.searchParams.get("state")! },
    `${again.cookie}; ${session.split(";")[0]}`,
  );
  expect(second.headers.get("location")).toBe("http://localhost:3000/dashboard");
  // The browser's previous session was replaced, not left behind.
  expect(await db.session.count()).toBe(1);
  expect(await db.user.findMany({ select: { name: true } })).toEqual([{ name: "Renamed Admin" }]);
});

it("refuses a replayed state, a missing or foreign PKCE cookie, and an open redirect", async () => {
  const { authorize, cookie } = await startLogin("//evil.example/x");
  const state = authorize.searchParams.get("state")!;
  const noCookie = await callbackWith({ code: codeFor(discord.world.admin.id), state });
  expect(noCookie.headers.get("location")).toBe("http://localhost:3000/signin?error=invalid_state");
  const other = await startLogin();
  const foreign = await callbackWith({ code: codeFor(discord.world.admin.id), state }, other.cookie);
  expect(foreign.headers.get("location")).toContain("error=invalid_state");

  const ok = await callbackWith({ code: codeFor(discord.world.admin.id), state }, cookie);
  expect(ok.headers.get("location")).toBe("http://localhost:3000/dashboard");
  const replay = await callbackWith({ code: codeFor(discord.world.admin.id), state }, cookie);
  expect(replay.headers.get("location")).toContain("error=invalid_state");
  expect(await db.session.count()).toBe(1);
});

it("maps a cancelled consent and a Discord failure to sign-in errors without a session", async () => {
  const cancelled = await startLogin();
  const r1 = await callbackWith(
    { error: "access_denied", state: cancelled.authorize.searchParams.get("state")! },
    cancelled.cookie,
  );
  expect(r1.headers.get("location")).toContain("/signin?error=cancelled");

  const failing = await startLogin();
  discord.injectFault({ route: "POST /oauth2/token", status: 500 });
  const r2 = await callbackWith(
    { code: codeFor(discord.world.admin.id), state: failing.authorize.searchParams.get("state")! },
    failing.cookie,
  );
  expect(r2.headers.get("location")).toContain("/signin?error=login_failed");
  expect(await db.session.count()).toBe(0);
  expect(await db.user.count()).toBe(0);
});

it("logout ends this session only; sign out everywhere ends all; both are same-origin only", async () => {
  const { user, cookie } = await createUserWithSession();
  const other = await createSession({ userId: user.id });
  const crossSite = await logout(
    dashboardRequest("POST", "/api/auth/logout", { cookie, headers: { origin: "https://evil.example" } }),
    none,
  );
  expect(crossSite.status).toBe(403);
  expect(await db.session.count()).toBe(2);

  const out = await logout(dashboardRequest("POST", "/api/auth/logout", { cookie }), none);
  expect(out.status).toBe(200);
  expect(out.headers.get("set-cookie")).toMatch(/^gg_session=; .*Max-Age=0/);
  expect(await db.session.count()).toBe(1);

  const otherCookie = `gg_session=${other.token}`;
  await createSession({ userId: user.id });
  const all = await logoutAll(dashboardRequest("POST", "/api/auth/logout-all", { cookie: otherCookie }), none);
  expect(await all.json()).toEqual({ ok: true, sessions: 2 });
  expect(await db.session.count()).toBe(0);
});
