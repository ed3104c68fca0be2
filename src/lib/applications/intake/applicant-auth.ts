// "Apply with Discord": the Discord OAuth leg shared with admins (src/lib/security/discord-oauth.ts, purpose
// "apply", the state bound to the organization and the apply page), then an applicant session
// (src/lib/applicants/session.ts): an Applicant row and a session of its own, never a dashboard session.
import { startApplicantSession } from "@/lib/applicants/session";
import {
  APPLICANT_SIGN_IN,
  clearedSignInCookie,
  completeDiscordSignIn,
  isSignInError,
  signInRedirectUri,
  signInReturnHint,
  SignInError,
  startDiscordSignIn,
} from "@/lib/security/discord-oauth";

export { APPLICANT_COOKIE, applicantTokenFromRequest, readApplicant, type Applicant } from "@/lib/applicants/session";

export const clearedApplyFlowCookie = () => clearedSignInCookie(APPLICANT_SIGN_IN);
export const applyRedirectUri = () => signInRedirectUri(APPLICANT_SIGN_IN);

/** The part of an apply page's path after /apply/: the organization, optionally a form. */
const PAGE = /^[a-z0-9-]{1,64}(?:\/[a-z0-9-]{1,40})?$/;

export type StartApplicantSignInOptions = { organizationId: string; slug: string; formSlug?: string | null };

export async function startApplicantSignIn(
  options: StartApplicantSignInOptions,
): Promise<{ authorizeUrl: string; cookie: string }> {
  const page = options.formSlug ? `${options.slug}/${options.formSlug}` : options.slug;
  // The page in the cookie only tells a failed callback where to return; the state's signed redirect is what counts.
  return startDiscordSignIn(APPLICANT_SIGN_IN, {
    organizationId: options.organizationId,
    redirectTo: `/apply/${page}`,
    returnHint: page,
  });
}

export type CompleteApplicantSignInOptions = {
  query: URLSearchParams;
  cookieHeader: string | null;
  /** The client address: whose share of Discord's invalid-request budget the sign-in spends. */
  ip?: string | null;
};

/** Returns the applicant cookie and the apply page to return to. A SignInError carries the page in `returnTo`. */
export async function completeApplicantSignIn(
  options: CompleteApplicantSignInOptions,
): Promise<{ cookie: string; redirectTo: string }> {
  const hint = signInReturnHint(APPLICANT_SIGN_IN, options.cookieHeader);
  try {
    const { profile, redirectTo } = await completeDiscordSignIn(APPLICANT_SIGN_IN, options);
    if (!redirectTo?.startsWith("/apply/") || !PAGE.test(redirectTo.slice("/apply/".length)))
      throw new SignInError("invalid_state");
    const { cookie } = await startApplicantSession({ discordUserId: profile.id, name: profile.name });
    return { cookie, redirectTo };
  } catch (error) {
    if (isSignInError(error)) error.returnTo = hint && PAGE.test(hint) ? `/apply/${hint}` : "/";
    throw error;
  }
}
