// "Apply with Discord": the applicant proves their Discord account (scope `identify`, signed one-time state with
// purpose "apply" bound to the organization, PKCE), and gets an applicant session (src/lib/applicants/session.ts):
// an Applicant row and a session of its own, never a dashboard session. Their Discord token is not kept.
import { createHash, randomBytes } from "node:crypto";
import { startApplicantSession, type Applicant } from "@/lib/applicants/session";
import { createDiscordClient, exchangeCode, toBudgetAppError } from "@/lib/discord/client";
import { env } from "@/lib/env";
import { signStateToken, verifyStateToken } from "@/lib/security/state-token";
import { readCookie } from "@/lib/security/session";
import { discordDisplayName } from "@/lib/http/input";

export const APPLY_CALLBACK_PATH = "/api/apply/callback";
export const APPLY_FLOW_COOKIE = "gg_apply_flow";
const FLOW_TTL_S = 5 * 60;
export { APPLICANT_COOKIE, applicantTokenFromRequest, readApplicant, type Applicant } from "@/lib/applicants/session";

const sha256url = (value: string) => createHash("sha256").update(value).digest("base64url");
const secure = () => env.NODE_ENV !== "development";

function cookie(name: string, value: string, path: string, maxAge: number): string {
  const parts = [`${name}=${value}`, `Path=${path}`, "HttpOnly", "SameSite=Lax", `Max-Age=${maxAge}`];
  if (secure()) parts.push("Secure");
  return parts.join("; ");
}

export const clearedApplyFlowCookie = () => cookie(APPLY_FLOW_COOKIE, "", APPLY_CALLBACK_PATH, 0);

export function applyRedirectUri(): string {
  return new URL(APPLY_CALLBACK_PATH, env.APP_URL).toString();
}

export type ApplyFlowErrorCode = "invalid_state" | "cancelled" | "login_failed" | "not_configured";

export class ApplyFlowError extends Error {
  /** The apply page to go back to with the error, when the flow cookie names one. */
  returnTo = "/";
  constructor(readonly code: ApplyFlowErrorCode) {
    super(`apply sign-in failed: ${code}`);
    this.name = "ApplyFlowError";
  }
}

export type StartApplicantSignInOptions = { organizationId: string; slug: string; formSlug?: string | null };

export async function startApplicantSignIn(
  options: StartApplicantSignInOptions,
): Promise<{ authorizeUrl: string; cookie: string }> {
  const clientId = env.DISCORD_CLIENT_ID;
  if (!clientId) throw new ApplyFlowError("not_configured");
  const verifier = randomBytes(32).toString("base64url");
  const page = options.formSlug ? `${options.slug}/${options.formSlug}` : options.slug;
  const state = await signStateToken({
    purpose: "apply",
    organizationId: options.organizationId,
    redirectTo: `/apply/${page}`,
  });
  const url = new URL(env.DISCORD_AUTHORIZE_URL);
  url.search = new URLSearchParams({
    client_id: clientId,
    response_type: "code",
    scope: "identify",
    redirect_uri: applyRedirectUri(),
    state,
    code_challenge: sha256url(verifier),
    code_challenge_method: "S256",
  }).toString();
  // The slug only tells a failed callback which page to return to; the state's signed redirect is what counts.
  const flow = `${verifier}.${sha256url(state)}.${page}`;
  return { authorizeUrl: url.toString(), cookie: cookie(APPLY_FLOW_COOKIE, flow, APPLY_CALLBACK_PATH, FLOW_TTL_S) };
}

export type CompleteApplicantSignInOptions = {
  query: URLSearchParams;
  cookieHeader: string | null;
  /** The client address: whose share of Discord's invalid-request budget the sign-in spends. */
  ip?: string | null;
};

/** Returns the applicant cookie and the apply page to return to. */
export async function completeApplicantSignIn(
  options: CompleteApplicantSignInOptions,
): Promise<{ cookie: string; redirectTo: string }> {
  const [verifier, stateHash, slug] = (readCookie(options.cookieHeader, APPLY_FLOW_COOKIE) ?? "").split(".");
  try {
    return await completeFlow(options.query, verifier, stateHash, options.ip ?? null);
  } catch (error) {
    if (error instanceof ApplyFlowError && slug && SLUG.test(slug)) error.returnTo = `/apply/${slug}`;
    throw error;
  }
}

/** The part of an apply page's path after /apply/: the organization, optionally a form. */
const SLUG = /^[a-z0-9-]{1,64}(?:\/[a-z0-9-]{1,40})?$/;

async function completeFlow(
  query: URLSearchParams,
  verifier: string | undefined,
  stateHash: string | undefined,
  address: string | null,
) {
  const state = query.get("state") ?? "";
  // The flow cookie ties the callback to the browser that started it (no applying as someone else via a link).
  if (!verifier || !stateHash || stateHash !== sha256url(state)) throw new ApplyFlowError("invalid_state");
  let redirectTo: string | undefined;
  try {
    redirectTo = (await verifyStateToken(state, { purpose: "apply" })).redirectTo;
  } catch {
    throw new ApplyFlowError("invalid_state");
  }
  if (!redirectTo?.startsWith("/apply/") || !SLUG.test(redirectTo.slice("/apply/".length)))
    throw new ApplyFlowError("invalid_state");
  if (query.get("error")) throw new ApplyFlowError("cancelled");
  const code = query.get("code");
  if (!code || code.length > 512) throw new ApplyFlowError("login_failed");
  let proven: Pick<Applicant, "discordUserId" | "name">;
  // Applicant sign-in may use the reserved part of Discord's invalid-request budget, bounded by the address's share.
  const caller = { purpose: "sign-in" as const, address };
  try {
    const grant = await exchangeCode({ code, redirectUri: applyRedirectUri(), codeVerifier: verifier, caller });
    const me = await createDiscordClient({ token: grant.accessToken, kind: "Bearer", caller }).getCurrentUser();
    proven = { discordUserId: me.id, name: discordDisplayName(me) };
  } catch (error) {
    const refusal = toBudgetAppError(error);
    if (refusal) throw refusal;
    throw new ApplyFlowError("login_failed");
  }
  const { cookie } = await startApplicantSession(proven);
  return { cookie, redirectTo };
}
