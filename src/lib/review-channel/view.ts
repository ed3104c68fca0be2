// What the review message shows, read from the database in one go: the application, its form, who decided, and
// the rejection's reason (kept on the decision's audit row).
import { db as defaultDb, type Db, type Tx } from "@/lib/db";
import { env } from "@/lib/env";
import type { ReviewMessageView } from "./render";

export type LoadReviewViewOptions = { organizationId: string; applicationId: string; db?: Db | Tx; now?: Date };

export type LoadedReviewView = { view: ReviewMessageView; version: number };

export function dashboardUrl(orgSlug: string, applicationId: string): string {
  return new URL(`/dashboard/${orgSlug}/applications/${applicationId}`, env.APP_URL).toString();
}

function readAnswers(raw: unknown): { label: string; value: unknown }[] {
  if (Array.isArray(raw)) {
    return raw.flatMap((a) =>
      a && typeof a === "object" && "label" in a
        ? [{ label: String(a.label), value: (a as { value?: unknown }).value }]
        : [],
    );
  }
  if (raw && typeof raw === "object") return Object.entries(raw).map(([label, value]) => ({ label, value }));
  return [];
}

export async function loadReviewView(options: LoadReviewViewOptions): Promise<LoadedReviewView | null> {
  const client = options.db ?? defaultDb;
  const application = await client.application.findFirst({
    where: { id: options.applicationId, organizationId: options.organizationId },
    include: {
      form: { select: { name: true } },
      reviewedBy: { select: { name: true, discordUserId: true } },
      organization: { select: { slug: true } },
    },
  });
  if (!application) return null;
  return {
    version: application.version,
    view: {
      applicationId: application.id,
      dashboardUrl: dashboardUrl(application.organization.slug, application.id),
      applicantDiscordId: application.applicantDiscordId,
      applicantName: application.applicantName,
      formName: application.form?.name ?? null,
      answers: readAnswers(application.answers),
      submittedAt: application.createdAt,
      status: application.status,
      roleAssignmentStatus: application.roleAssignmentStatus,
      roleErrorMessage: application.roleErrorMessage,
      decidedBy: application.reviewedBy
        ? { name: application.reviewedBy.name, discordUserId: application.reviewedBy.discordUserId }
        : null,
      decidedAt: application.reviewedAt,
      reason: application.status === "REJECTED" ? application.rejectReason : null,
      now: options.now ?? new Date(),
    },
  };
}
