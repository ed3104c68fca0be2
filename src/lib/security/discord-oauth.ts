// The one Discord OAuth leg for people signing in (admins: purpose "login"; applicants: purpose "apply"): a signed
// one-time state for the purpose, PKCE, and a short-lived httpOnly cookie on the callback path holding the
// verifier and a hash of the state, so a callback URL started in another browser (login CSRF) fails even if Discord
// did not check PKCE. What happens after the person is proven (a dashboard or an applicant session) is the
// caller's. Their Discord access token is used once to read who they are and is never kept. The bot connection
// (purpose "bot-connect") is a different grant with its own flow (src/lib/bot-connection/).
import { createHash, randomBytes } from "node:crypto";
import { type Db } from "@/lib/db";
import { createDiscordClient, exchangeCode, toBudgetAppError } from "@/lib/discord/client";
import { env } from "@/lib/env";
import { errorBrand } from "@/lib/errors/brand";
import { discordDisplayName, sanitizeExternalText } from "@/lib/http/input";
import { buildCookie, clearedCookie, readCookie } from "@/lib/security/cookies";
import { signStateToken, verifyStateToken } from "@/lib/security/state-token";

export type SignInFlow = {
  purpose: "login" | "apply";
  /** The cookie carrying the PKCE verifier and the state's hash, scoped to the callback path. */
  cookie: string;
  callbackPath: string;
};

export const ADMIN_SIGN_IN: SignInFlow = {
  purpose: "login",
  cookie: "gg_login",
  callbackPath: "/api/auth/discord/callback",
};
export const APPLICANT_SIGN_IN: SignInFlow = {
  purpose: "apply",
  cookie: "gg_apply_flow",
  callbackPath: "/api/apply/callback",
};

const FLOW_TTL_S = 5 * 60;
const sha256url = (value: string) => createHash("sha256").update(value).digest("base64url");

export const SIGN_IN_ERROR_CODES = ["invalid_state", "cancelled", "login_failed", "not_configured"] as const;
export type SignInErrorCode = (typeof SIGN_IN_ERROR_CODES)[number];

const BRAND = errorBrand("sign-in-error");

/** A sign-in that cannot go on; the route sends the person back with `code` (and, for applicants, to `returnTo`). */
export class SignInError extends Error {
  /** The page to go back to with the error, when the flow cookie names one. */
  returnTo: string | undefined;
  constructor(
    readonly code: SignInErrorCode,
    returnTo?: string,
  ) {
    super(`sign-in failed: ${code}`);
    this.name = "SignInError";
    this.returnTo = returnTo;
    BRAND.mark(this);
  }
}

/** By brand, not `instanceof`: a route and this module may be different module instances. */
export function isSignInError(error: unknown): error is SignInError {
  return BRAND.of(error) === true;
}

export function signInRedirectUri(flow: SignInFlow): string {
  return new URL(flow.callbackPath, env.APP_URL).toString();
}

export const clearedSignInCookie = (flow: SignInFlow) => clearedCookie(flow.cookie, flow.callbackPath);

export type StartDiscordSignInOptions = {
  organizationId?: string;
  /** Signed into the state: where the flow ends. */
  redirectTo?: string;
  /** Kept in the flow cookie, unsigned: where a failed callback sends the person back (checked by the caller). */
  returnHint?: string;
};

export async function startDiscordSignIn(
  flow: SignInFlow,
  options: StartDiscordSignInOptions,
): Promise<{ authorizeUrl: string; cookie: string }> {
  const clientId = env.DISCORD_CLIENT_ID;
  if (!clientId) throw new SignInError("not_configured");
  const verifier = randomBytes(32).toString("base64url");
  const state = await signStateToken({
    purpose: flow.purpose,
    organizationId: options.organizationId,
    redirectTo: options.redirectTo,
  });
  const url = new URL(env.DISCORD_AUTHORIZE_URL);
  url.search = new URLSearchParams({
    client_id: clientId,
    response_type: "code",
    scope: "identify",
    redirect_uri: signInRedirectUri(flow),
    state,
    code_challenge: sha256url(verifier),
    code_challenge_method: "S256",
  }).toString();
  const value = [verifier, sha256url(state), ...(options.returnHint ? [options.returnHint] : [])].join(".");
  return {
    authorizeUrl: url.toString(),
    cookie: buildCookie({ name: flow.cookie, value, maxAgeSeconds: FLOW_TTL_S, path: flow.callbackPath }),
  };
}

export type DiscordProfile = { id: string; name: string; avatar: string | null };

export type CompleteDiscordSignInOptions = {
  query: URLSearchParams;
  cookieHeader: string | null;
  /** The client address: whose share of Discord's invalid-request budget the sign-in spends. */
  ip?: string | null;
  db?: Db;
};

export type CompletedDiscordSignIn = {
  profile: DiscordProfile;
  /** The state's signed redirect (the caller validates it). */
  redirectTo: string | undefined;
};

/** The unsigned return hint of this browser's flow cookie, for sending a failed callback back where it started. */
export function signInReturnHint(flow: SignInFlow, cookieHeader: string | null): string | undefined {
  return (readCookie(cookieHeader, flow.cookie) ?? "").split(".")[2] || undefined;
}

export async function completeDiscordSignIn(
  flow: SignInFlow,
  options: CompleteDiscordSignInOptions,
): Promise<CompletedDiscordSignIn> {
  const state = options.query.get("state") ?? "";
  const [verifier, stateHash] = (readCookie(options.cookieHeader, flow.cookie) ?? "").split(".");
  // The flow cookie ties the callback to the browser that started it.
  if (!verifier || !stateHash || stateHash !== sha256url(state)) throw new SignInError("invalid_state");
  let redirectTo: string | undefined;
  try {
    redirectTo = (await verifyStateToken(state, { purpose: flow.purpose, db: options.db })).redirectTo;
  } catch {
    throw new SignInError("invalid_state");
  }
  if (options.query.get("error")) throw new SignInError("cancelled");
  const code = options.query.get("code");
  if (!code || code.length > 512) throw new SignInError("login_failed");
  // Sign-in may use the part of Discord's invalid-request budget tenants cannot spend; the address's share bounds it.
  const caller = { purpose: "sign-in" as const, address: options.ip ?? null };
  try {
    const grant = await exchangeCode({ code, redirectUri: signInRedirectUri(flow), codeVerifier: verifier, caller });
    const me = await createDiscordClient({ token: grant.accessToken, kind: "Bearer", caller }).getCurrentUser();
    const profile = {
      id: me.id,
      name: discordDisplayName(me),
      avatar: me.avatar ? sanitizeExternalText(me.avatar, 100) : null,
    };
    return { profile, redirectTo };
  } catch (error) {
    const refusal = toBudgetAppError(error);
    if (refusal) throw refusal;
    throw new SignInError("login_failed");
  }
}
