// POST /api/apply/[slug] { form?, answers } (form: the form's slug, default form without it) : submit an application from the public page. Same-origin only; the
// applicant is the one the signed cookie names (401 without it); 409 already_exists when one is open.
import { z } from "zod";
import { applicantTokenFromRequest, readApplicant } from "@/lib/applications/intake/applicant-auth";
import { submitWebApplication } from "@/lib/applications/intake/apply-page";
import { toApplicantView } from "@/lib/applications/queries/dto";
import { AppError } from "@/lib/errors/app-error";
import { json, readJson, route } from "@/lib/http/route";
import { limitApply } from "@/lib/rate-limit";
import { clientIp, isSameOrigin } from "@/lib/security/origin";

const body = z.object({ form: z.string().max(64).optional(), answers: z.record(z.string(), z.unknown()) });

export const POST = route<{ slug: string }>(async (request, context) => {
  if (!isSameOrigin(request)) throw new AppError("cross_origin", "This request must come from the application page.");
  const applicant = await readApplicant(applicantTokenFromRequest(request));
  if (!applicant) throw new AppError("unauthorized", "Sign in with Discord to apply.");
  await limitApply(clientIp(request));
  const { slug } = await context.params;
  const input = await readJson(request, body, { maxBytes: 64 * 1024 });
  const application = await submitWebApplication({
    slug,
    formSlug: input.form,
    applicant,
    answers: input.answers,
    ip: clientIp(request),
  });
  return json({ application: toApplicantView(application) }, { status: 201 });
});
