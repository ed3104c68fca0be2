import Link from "next/link";
import { notFound } from "next/navigation";
import { ApplicationActions } from "@/components/applications/application-actions";
import { LifecycleActions } from "@/components/applications/lifecycle-actions";
import { RoleOutcomes } from "@/components/applications/role-outcomes";
import { StatusBadge, waitingText } from "@/components/applications/status-badge";
import { DecisionMessages } from "@/components/notifications/decision-messages";
import { listApplicationMessages } from "@/lib/notifications/enqueue";
import { getApplicantSettings } from "@/lib/applicants/settings";
import { formatDate, toApplicationRow } from "@/components/applications/types";
import { AuditTimeline } from "@/components/audit/audit-timeline";
import { roleFailureText } from "@/components/dashboard/messages";
import { Card, Notice } from "@/components/ui/card";
import { getApplicationOrThrow } from "@/lib/applications/queries/get-application";
import { listAuditForTarget } from "@/lib/audit/list-audit";
import { isAppError } from "@/lib/errors/app-error";
import { can } from "@/lib/security/authorize";
import { requireOrgPage } from "@/lib/security/page-guard";
import styles from "./detail.module.css";

export const metadata = { title: "Application" };
export const dynamic = "force-dynamic";

type Props = { params: Promise<{ slug: string; id: string }> };

type Answer = { label: string; value: string };

/** Answers are stored as [{ label, value, ... }]; older or API-submitted ones may be a plain object. */
function readAnswers(raw: unknown): Answer[] {
  if (Array.isArray(raw)) {
    return raw.flatMap((a) =>
      a && typeof a === "object" && "label" in a
        ? [{ label: String(a.label), value: String((a as { value?: unknown }).value ?? "") }]
        : [],
    );
  }
  if (raw && typeof raw === "object")
    return Object.entries(raw).map(([label, value]) => ({
      label,
      value: typeof value === "string" ? value : JSON.stringify(value),
    }));
  return [];
}

export default async function ApplicationPage({ params }: Props) {
  const { slug, id } = await params;
  const ctx = await requireOrgPage(slug, "org:read");
  const application = await getApplicationOrThrow({ organizationId: ctx.organization.id, applicationId: id }).catch(
    (error: unknown) => {
      if (isAppError(error) && error.code === "not_found") notFound();
      throw error;
    },
  );
  const timeline = await listAuditForTarget({
    organizationId: ctx.organization.id,
    targetType: "application",
    targetId: application.id,
  });
  const row = toApplicationRow(application);
  const applicantSettings = await getApplicantSettings({ organizationId: ctx.organization.id });
  const messages = await listApplicationMessages({
    organizationId: ctx.organization.id,
    applicationId: application.id,
  });
  const answers = readAnswers(application.answers);
  const canReview = ctx.actor.kind === "user" && can(ctx.actor.role, "applications:review");
  return (
    <>
      <p className={styles.back}>
        <Link href={`/dashboard/${ctx.organization.slug}/applications`}>← All applications</Link>
      </p>
      <header className={styles.header}>
        <div>
          <h1 className={styles.title}>{application.applicantName}</h1>
          <p className={styles.meta}>
            {application.applicantDiscordId ? `Discord ${application.applicantDiscordId}` : "No Discord account"} ·
            submitted {formatDate(row.createdAt)}
            {application.source === "API" ? " · by API" : ""}
          </p>
        </div>
        <div className={styles.status}>
          <StatusBadge
            id={row.id}
            status={row.status}
            roleErrorCode={row.roleErrorCode}
            roleErrorMessage={row.roleErrorMessage}
            waitingUntil={row.waitingUntil}
          />
          {canReview ? (
            <ApplicationActions
              slug={ctx.organization.slug}
              row={row}
              rejectReasonRequired={applicantSettings.rejectReasonRequired}
            />
          ) : null}
          {canReview ? (
            <LifecycleActions
              slug={ctx.organization.slug}
              row={row}
              rejectReasonRequired={applicantSettings.rejectReasonRequired}
            />
          ) : null}
        </div>
      </header>
      {application.revokeReason ? (
        <Notice tone="info" title="Approval revoked" role="status">
          <p>Reason: {application.revokeReason}</p>
        </Notice>
      ) : null}
      {row.status === "REJECTED" ? (
        <Notice tone="info" title="Rejected" role="status">
          <p>{row.rejectReason ? `Reason: ${row.rejectReason}` : "No reason was given."}</p>
        </Notice>
      ) : null}
      {row.waitingUntil ? (
        <Notice tone="info" title="Approved: waiting for the applicant to join" role="status">
          <p>{waitingText(row.waitingUntil)} They can join with the organization&apos;s invite link.</p>
        </Notice>
      ) : row.status === "APPROVED_ROLE_FAILED" || row.status === "REVOKED_ROLE_REMOVAL_FAILED" ? (
        <Notice
          tone="danger"
          title={
            row.status === "APPROVED_ROLE_FAILED" ? "The role could not be given" : "The roles could not be removed"
          }
          role="status"
        >
          <p>{roleFailureText(row.roleErrorCode, row.roleErrorMessage)}</p>
        </Notice>
      ) : null}
      <div className={styles.grid}>
        <Card title="Answers">
          {answers.length ? (
            <dl className={styles.answers}>
              {answers.map((a, i) => (
                <div key={`${a.label}-${i}`}>
                  <dt>{a.label}</dt>
                  <dd>{a.value || <span className={styles.none}>No answer</span>}</dd>
                </div>
              ))}
            </dl>
          ) : (
            <p className={styles.none}>This application has no answers.</p>
          )}
        </Card>
        <RoleOutcomes outcomes={application.roleOutcomes} />
        <DecisionMessages
          messages={messages}
          resend={canReview ? { slug: ctx.organization.slug, applicationId: application.id } : undefined}
        />
        <Card title="Timeline" description="Every change to this application, from the audit log.">
          <AuditTimeline
            entries={timeline}
            subjects={{ [`application:${application.id}`]: application.applicantName }}
          />
        </Card>
      </div>
    </>
  );
}
