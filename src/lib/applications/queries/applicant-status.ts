// The applicant's own page (/apply/<org>/status): their applications to one organization, and nobody else's. The
// applicant comes from their session; the organization from the address; both are in the `where`, so another
// applicant's application id is not found (404), exactly like an id that does not exist.
import type { ApplicationStatus } from "@/generated/prisma/enums";
import { memberRecheckEnd } from "@/lib/applications/role-jobs/recheck-window";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors/app-error";
import type { Applicant } from "@/lib/applicants/session";

export type ApplicantAnswer = { label: string; value: string };

export type ApplicantApplicationView = {
  id: string;
  form: { name: string; slug: string | null };
  status: ApplicationStatus;
  /** The state in words, for the applicant. */
  state: string;
  rejectReason: string | null;
  /** Why the approval was withdrawn (revoked applications only), and when. */
  revokeReason: string | null;
  revokedAt: string | null;
  answers: ApplicantAnswer[];
  createdAt: string;
  decidedAt: string | null;
  /** What to do next, in words. */
  next: string | null;
  /** The organization's invite, when they were approved and are not in the server yet. */
  inviteUrl: string | null;
};

const STATE: Record<ApplicationStatus, string> = {
  PENDING: "Waiting for review",
  APPROVED: "Approved",
  APPROVED_PENDING_ROLE: "Approved: your role is being given",
  APPROVED_ROLE_ASSIGNED: "Approved: you have your role",
  APPROVED_ROLE_FAILED: "Approved",
  REJECTED: "Not accepted",
  REVOKED_PENDING_ROLE_REMOVAL: "Approval withdrawn",
  REVOKED: "Approval withdrawn",
  REVOKED_ROLE_REMOVAL_FAILED: "Approval withdrawn",
};

function answersOf(raw: unknown): ApplicantAnswer[] {
  const text = (v: unknown) =>
    Array.isArray(v) ? v.map(String).join(", ") : v === null || v === undefined ? "" : String(v);
  if (Array.isArray(raw))
    return raw.flatMap((a) =>
      a && typeof a === "object" && "label" in a
        ? [{ label: String(a.label), value: text((a as { value?: unknown }).value) }]
        : [],
    );
  if (raw && typeof raw === "object")
    return Object.entries(raw).map(([label, value]) => ({ label, value: text(value) }));
  return [];
}

type Row = {
  id: string;
  status: ApplicationStatus;
  rejectReason: string | null;
  revokeReason: string | null;
  revokedAt: Date | null;
  answers: unknown;
  createdAt: Date;
  reviewedAt: Date | null;
  roleErrorCode: string | null;
  roleAttemptedAt: Date | null;
  form: { name: string; slug: string } | null;
};

function view(row: Row, inviteUrl: string | null, server: string): ApplicantApplicationView {
  const notInServer = row.status === "APPROVED_ROLE_FAILED" && row.roleErrorCode === "member_not_in_guild";
  const revoked = row.status.startsWith("REVOKED");
  let next: string | null = null;
  let state = STATE[row.status];
  if (row.status === "PENDING")
    next = "Nothing to do: the team reviews it and you get a direct message from the bot with the decision.";
  else if (notInServer) {
    state = "Approved: join the server to get your role";
    const until = memberRecheckEnd({ roleAttemptedAt: row.roleAttemptedAt });
    next =
      until && until.getTime() <= Date.now()
        ? `The time to join passed on ${until.toISOString().slice(0, 10)}, so your role no longer follows by itself: join ${server} and ask its team to retry your role.`
        : `Join ${server}${inviteUrl ? " with the invite link" : ""}: your role follows automatically${until ? ` if you join by ${until.toISOString().slice(0, 10)}` : ""}.`;
  } else if (row.status === "APPROVED_ROLE_FAILED")
    next = "The team is fixing a problem with your role; nothing to do on your side.";
  else if (row.status === "REJECTED") next = "You can apply again when the form allows it; the form tells you when.";
  else if (row.status === "REVOKED") next = "You can apply again when the form allows it; the form tells you when.";
  return {
    id: row.id,
    form: { name: row.form?.name ?? "Application", slug: row.form?.slug ?? null },
    status: row.status,
    state,
    rejectReason: row.status === "REJECTED" ? row.rejectReason : null,
    revokeReason: revoked ? row.revokeReason : null,
    revokedAt: revoked ? (row.revokedAt?.toISOString() ?? null) : null,
    answers: answersOf(row.answers),
    createdAt: row.createdAt.toISOString(),
    decidedAt: row.reviewedAt?.toISOString() ?? null,
    next,
    inviteUrl: notInServer ? inviteUrl : null,
  };
}

const SELECT = {
  id: true,
  status: true,
  rejectReason: true,
  revokeReason: true,
  revokedAt: true,
  answers: true,
  createdAt: true,
  reviewedAt: true,
  roleErrorCode: true,
  roleAttemptedAt: true,
  form: { select: { name: true, slug: true } },
} as const;

async function organizationOf(slug: string) {
  const organization = /^[a-z0-9-]{1,64}$/.test(slug)
    ? await db.organization.findUnique({
        where: { slug },
        select: {
          id: true,
          slug: true,
          name: true,
          status: true,
          connection: { select: { guildName: true } },
          applicantSettings: { select: { inviteUrl: true } },
        },
      })
    : null;
  if (!organization || organization.status !== "ACTIVE") throw new AppError("not_found", "No such organization.");
  return organization;
}

export type ListApplicantApplicationsOptions = { slug: string; applicant: Applicant };

/** The signed-in applicant's applications to this organization, newest first (at most 50). */
export async function listApplicantApplications({ slug, applicant }: ListApplicantApplicationsOptions) {
  const organization = await organizationOf(slug);
  const rows = await db.application.findMany({
    where: { organizationId: organization.id, applicantDiscordId: applicant.discordUserId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: 50,
    select: SELECT,
  });
  const server = organization.connection?.guildName ?? organization.name;
  const invite = organization.applicantSettings?.inviteUrl ?? null;
  return {
    organization: { slug: organization.slug, name: organization.name, server },
    applications: rows.map((r) => view(r, invite, server)),
  };
}

export type GetApplicantApplicationOptions = ListApplicantApplicationsOptions & { applicationId: string };

/** One of the applicant's applications; anyone else's (or an unknown id) is `not_found`. */
export async function getApplicantApplication({ slug, applicant, applicationId }: GetApplicantApplicationOptions) {
  const organization = await organizationOf(slug);
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(applicationId);
  const row = uuid
    ? await db.application.findFirst({
        where: { id: applicationId, organizationId: organization.id, applicantDiscordId: applicant.discordUserId },
        select: SELECT,
      })
    : null;
  if (!row) throw new AppError("not_found", "No such application.");
  const server = organization.connection?.guildName ?? organization.name;
  return view(row, organization.applicantSettings?.inviteUrl ?? null, server);
}
