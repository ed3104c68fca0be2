// GET /api/apply/[slug]/applications : the signed-in applicant's own applications to this organization (state,
// reason when rejected, their answers, what to do next). 401 without an applicant session.
import { listApplicantApplications } from "@/lib/applications/queries/applicant-status";
import { applicantTokenFromRequest, readApplicant } from "@/lib/applicants/session";
import { AppError } from "@/lib/errors/app-error";
import { json, route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export const GET = route<{ slug: string }>(async (request, context) => {
  const applicant = await readApplicant(applicantTokenFromRequest(request));
  if (!applicant) throw new AppError("unauthorized", "Sign in with Discord to see your applications.");
  const { slug } = await context.params;
  return json(await listApplicantApplications({ slug, applicant }));
});
