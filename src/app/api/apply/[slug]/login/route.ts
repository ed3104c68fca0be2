// GET /api/apply/[slug]/login : "Apply with Discord" sends the applicant to Discord's consent page (scope identify).
import { startApplicantSignIn } from "@/lib/applications/intake/applicant-auth";
import { isSignInError } from "@/lib/security/discord-oauth";
import { findApplyOrganizationOrThrow } from "@/lib/applications/intake/apply-page";
import { route } from "@/lib/http/route";
import { limitSignIn } from "@/lib/rate-limit";
import { clientIp } from "@/lib/security/origin";
import { redirectTo } from "@/lib/security/redirect";

export const dynamic = "force-dynamic";

export const GET = route<{ slug: string }>(async (request, context) => {
  await limitSignIn(clientIp(request));
  const { slug } = await context.params;
  const organization = await findApplyOrganizationOrThrow(slug);
  // ?form=<slug> returns to that form's page; an unknown form is a 404 there, not here.
  const form = new URL(request.url).searchParams.get("form");
  const formSlug = form && /^[a-z0-9-]{1,40}$/.test(form) ? form : null;
  try {
    const { authorizeUrl, cookie } = await startApplicantSignIn({
      organizationId: organization.id,
      slug: organization.slug,
      formSlug,
    });
    return redirectTo(authorizeUrl, [cookie]);
  } catch (error) {
    if (isSignInError(error))
      return redirectTo(`/apply/${organization.slug}${formSlug ? `/${formSlug}` : ""}?error=${error.code}`);
    throw error;
  }
});
