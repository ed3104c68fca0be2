// What the public apply page needs: the organization (active only), its current questions, and the applicant's
// latest application there, if signed in.
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors/app-error";
import { listQuestions } from "@/lib/questions/questions";
import type { Applicant } from "./applicant-auth";
import { submitApplication } from "./submit-application";

export async function findApplyOrganizationOrThrow(slug: string) {
  const organization = /^[a-z0-9-]{1,64}$/.test(slug)
    ? await db.organization.findUnique({ where: { slug }, select: { id: true, slug: true, name: true, status: true } })
    : null;
  if (!organization || organization.status !== "ACTIVE") throw new AppError("not_found", "No such organization.");
  return organization;
}

export type ApplyPageDataOptions = { slug: string; applicant: Applicant | null };

export async function getApplyPageData({ slug, applicant }: ApplyPageDataOptions) {
  const organization = await findApplyOrganizationOrThrow(slug);
  const questions = await listQuestions({ organizationId: organization.id });
  const latest = applicant
    ? await db.application.findFirst({
        where: { organizationId: organization.id, applicantDiscordId: applicant.discordUserId },
        orderBy: { createdAt: "desc" },
        select: { id: true, status: true, createdAt: true },
      })
    : null;
  return { organization, questions, latest };
}

export type SubmitWebApplicationOptions = { slug: string; applicant: Applicant; answers: unknown; ip?: string | null };

/** A web submission: the Discord id comes from the signed applicant cookie, never from the form. */
export async function submitWebApplication(options: SubmitWebApplicationOptions) {
  const organization = await findApplyOrganizationOrThrow(options.slug);
  const { application } = await submitApplication({
    organizationId: organization.id,
    applicantDiscordId: options.applicant.discordUserId,
    applicantName: options.applicant.name,
    answers: options.answers,
    source: "WEB",
    ip: options.ip,
  });
  return application;
}
