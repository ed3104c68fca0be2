// Admin sign-in with Discord (scope `identify`): a signed one-time state (purpose "login") plus PKCE. The PKCE
// verifier lives in a short-lived httpOnly cookie scoped to the callback path, together with a hash of the state,
// so a callback URL started in another browser (login CSRF) fails even if Discord did not check PKCE. The admin's
// Discord access token is used once to read who they are and is not kept.
import { createHash, randomBytes } from "node:crypto";
import { recordAudit } from "@/lib/audit/record-audit";
import { db as defaultDb, type Db } from "@/lib/db";
import { createDiscordClient, exchangeCode, toBudgetAppError } from "@/lib/discord/client";
import { env } from "@/lib/env";
import { signStateToken, verifyStateToken } from "@/lib/security/state-token";
import { createSession, deleteSession, readCookie, SESSION_COOKIE } from "@/lib/security/session";
import { discordDisplayName, sanitizeExternalText } from "@/lib/http/input";

export const LOGIN_COOKIE = "gg_login";
export const LOGIN_CALLBACK_PATH = "/api/auth/discord/callback";
const LOGIN_COOKIE_TTL_S = 5 * 60;
export const DEFAULT_AFTER_SIGN_IN = "/dashboard";

const sha256url = (value: string) => createHash("sha256").update(value).digest("base64url");

/** Only same-site paths: "/dashboard/x" yes; "//evil.example", "https://...", "/\\evil" no. */
export function safeNextPath(next: string | null | undefined): string | undefined {
  if (!next || next.length > 512 || !next.startsWith("/") || next.startsWith("//") || next.includes("\\"))
    return undefined;
  if (/[\u0000-\u001f]/.test(next)) return undefined;
  return next;
}

export function loginRedirectUri(): string {
  return new URL(LOGIN_CALLBACK_PATH, env.APP_URL).toString();
}

function loginCookie(value: string, maxAge: number): string {
  const parts = [
    `${LOGIN_COOKIE}=${value}`,
    `Path=${LOGIN_CALLBACK_PATH}`,
    "HttpOnly",
    "SameSite=Lax",
    `Max-Age=${maxAge}`,
  ];
  if (env.NODE_ENV !== "development") parts.push("Secure");
  return parts.join("; ");
}

export type StartSignInOptions = { next?: string | null };
export type StartedSignIn = { authorizeUrl: string; cookie: string };

export async function startSignIn(options: StartSignInOptions = {}): Promise<StartedSignIn> {
  const clientId = env.DISCORD_CLIENT_ID;
  if (!clientId) throw new SignInError("not_configured");
  const verifier = randomBytes(32).toString("base64url");
  const state = await signStateToken({ purpose: "login", redirectTo: safeNextPath(options.next) });
  const url = new URL(env.DISCORD_AUTHORIZE_URL);
  url.search = new URLSearchParams({
    client_id: clientId,
    response_type: "code",
    scope: "identify",
    redirect_uri: loginRedirectUri(),
    state,
    code_challenge: sha256url(verifier),
    code_challenge_method: "S256",
  }).toString();
  return { authorizeUrl: url.toString(), cookie: loginCookie(`${verifier}.${sha256url(state)}`, LOGIN_COOKIE_TTL_S) };
}

export type SignInErrorCode = "invalid_state" | "cancelled" | "login_failed" | "not_configured";

export class SignInError extends Error {
  constructor(readonly code: SignInErrorCode) {
    super(`sign-in failed: ${code}`);
    this.name = "SignInError";
  }
}

export type CompleteSignInOptions = {
  /** The callback's query parameters. */
  query: URLSearchParams;
  cookieHeader: string | null;
  userAgent?: string | null;
  ip?: string | null;
  db?: Db;
};

export type CompletedSignIn = { sessionCookie: string; redirectTo: string; userId: string };

/** The cookie that removes the PKCE cookie; send it with every callback answer. */
export const clearedLoginCookie = () => loginCookie("", 0);

export async function completeSignIn(options: CompleteSignInOptions): Promise<CompletedSignIn> {
  const state = options.query.get("state") ?? "";
  const [verifier, stateHash] = (readCookie(options.cookieHeader, LOGIN_COOKIE) ?? "").split(".");
  if (!verifier || !stateHash || stateHash !== sha256url(state)) throw new SignInError("invalid_state");
  let redirectTo: string | undefined;
  try {
    redirectTo = (await verifyStateToken(state, { purpose: "login", db: options.db })).redirectTo;
  } catch {
    throw new SignInError("invalid_state");
  }
  if (options.query.get("error")) throw new SignInError("cancelled");
  const code = options.query.get("code");
  if (!code || code.length > 512) throw new SignInError("login_failed");

  let profile: { id: string; name: string; avatar: string | null };
  // Sign-in may use the part of Discord's invalid-request budget tenants cannot spend; the address's share bounds it.
  const caller = { purpose: "sign-in" as const, address: options.ip ?? null };
  try {
    const grant = await exchangeCode({ code, redirectUri: loginRedirectUri(), codeVerifier: verifier, caller });
    const me = await createDiscordClient({ token: grant.accessToken, kind: "Bearer", caller }).getCurrentUser();
    profile = {
      id: me.id,
      name: discordDisplayName(me),
      avatar: me.avatar ? sanitizeExternalText(me.avatar, 100) : null,
    };
  } catch (error) {
    const refusal = toBudgetAppError(error);
    if (refusal) throw refusal;
    throw new SignInError("login_failed");
  }

  const client = options.db ?? defaultDb;
  const user = await client.user.upsert({
    where: { discordUserId: profile.id },
    update: { name: profile.name, avatar: profile.avatar },
    create: { discordUserId: profile.id, name: profile.name, avatar: profile.avatar },
  });
  // A sign-in replaces whatever session this browser had (no session fixation, no orphaned row).
  await deleteSession({ token: readCookie(options.cookieHeader, SESSION_COOKIE), db: client });
  const session = await createSession({ userId: user.id, userAgent: options.userAgent, ip: options.ip, db: client });
  await recordAudit({
    db: client,
    organizationId: null,
    actor: { userId: user.id },
    action: "auth.sign_in",
    targetType: "user",
    targetId: user.id,
    outcome: "SUCCESS",
    ip: options.ip,
  });
  return {
    sessionCookie: session.cookie,
    redirectTo: safeNextPath(redirectTo) ?? DEFAULT_AFTER_SIGN_IN,
    userId: user.id,
  };
}
