// What the public apply pages need: the organization (active only), its open forms, the chosen form's questions,
// and the applicant's latest application for that form, if signed in. /apply/<org> opens the only open form, or
// lists them when there are several; /apply/<org>/<form> opens one.
import type { ApplicationForm } from "@/generated/prisma/client";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors/app-error";
import { checkEligibility, effectiveRequirements } from "@/lib/applicants/eligibility";
import { getApplicantSettings } from "@/lib/applicants/settings";
import { getFormOrThrow, listForms } from "@/lib/forms/forms";
import { listQuestions } from "@/lib/questions/questions";
import type { Applicant } from "@/lib/applications/intake/applicant-auth";
import { submitApplication } from "@/lib/applications/intake/submit-application";

export async function findApplyOrganizationOrThrow(slug: string) {
  const organization = /^[a-z0-9-]{1,64}$/.test(slug)
    ? await db.organization.findUnique({ where: { slug }, select: { id: true, slug: true, name: true, status: true } })
    : null;
  if (!organization || organization.status !== "ACTIVE") throw new AppError("not_found", "No such organization.");
  return organization;
}

export type ApplyPageDataOptions = { slug: string; formSlug?: string | null; applicant: Applicant | null };

export type PublicForm = Pick<ApplicationForm, "id" | "slug" | "name" | "description" | "isOpen" | "isDefault">;

const publicForm = (f: ApplicationForm): PublicForm => ({
  id: f.id,
  slug: f.slug,
  name: f.name,
  description: f.description,
  isOpen: f.isOpen,
  isDefault: f.isDefault,
});

export async function getApplyPageData({ slug, formSlug, applicant }: ApplyPageDataOptions) {
  const organization = await findApplyOrganizationOrThrow(slug);
  const openForms = (await listForms({ organizationId: organization.id, openOnly: true })).map(publicForm);
  let form: PublicForm | null;
  if (formSlug) form = publicForm(await getFormOrThrow({ organizationId: organization.id, slug: formSlug }));
  else form = openForms.length === 1 ? openForms[0]! : null;
  const questions = form?.isOpen ? await listQuestions({ organizationId: organization.id, formId: form.id }) : [];
  const latest =
    applicant && form
      ? await db.application.findFirst({
          where: { organizationId: organization.id, formId: form.id, applicantDiscordId: applicant.discordUserId },
          orderBy: { createdAt: "desc" },
          select: { id: true, status: true, createdAt: true, rejectReason: true, revokeReason: true },
        })
      : null;
  // Who may apply, told before the form is filled in (the submission checks the same again).
  const full = form ? await getFormOrThrow({ organizationId: organization.id, slug: form.slug }) : null;
  const requirements = full
    ? effectiveRequirements(full, await getApplicantSettings({ organizationId: organization.id }))
    : null;
  const ineligible =
    full && applicant
      ? await checkEligibility({
          organizationId: organization.id,
          form: full,
          applicantDiscordId: applicant.discordUserId,
        })
      : null;
  return { organization, forms: openForms, form, questions, latest, ineligible, requirements };
}

export type SubmitWebApplicationOptions = {
  slug: string;
  formSlug?: string | null;
  applicant: Applicant;
  answers: unknown;
  ip?: string | null;
};

/** A web submission: the Discord id comes from the signed applicant cookie, never from the form. */
export async function submitWebApplication(options: SubmitWebApplicationOptions) {
  const organization = await findApplyOrganizationOrThrow(options.slug);
  const { application } = await submitApplication({
    organizationId: organization.id,
    formSlug: options.formSlug,
    applicantDiscordId: options.applicant.discordUserId,
    applicantName: options.applicant.name,
    answers: options.answers,
    source: "WEB",
    ip: options.ip,
  });
  return application;
}
