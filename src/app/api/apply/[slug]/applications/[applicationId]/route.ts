// GET /api/apply/[slug]/applications/[applicationId] : one of the signed-in applicant's applications; another
// applicant's id is 404, the same as an id that does not exist.
import { getApplicantApplication } from "@/lib/applications/queries/applicant-status";
import { applicantTokenFromRequest, readApplicant } from "@/lib/applicants/session";
import { AppError } from "@/lib/errors/app-error";
import { json, route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export const GET = route<{ slug: string; applicationId: string }>(async (request, context) => {
  const applicant = await readApplicant(applicantTokenFromRequest(request));
  if (!applicant) throw new AppError("unauthorized", "Sign in with Discord to see your applications.");
  const { slug, applicationId } = await context.params;
  return json({ application: await getApplicantApplication({ slug, applicant, applicationId }) });
});
