// /apply/<org>/status: the signed-in applicant's own applications to this organization: state, the reason when
// rejected, a copy of their answers and what to do next (the invite link when approved and not in the server).
import type { Metadata } from "next";
import { cookies } from "next/headers";
import { notFound } from "next/navigation";
import { APPLICANT_COOKIE, readApplicant } from "@/lib/applicants/session";
import { listApplicantApplications } from "@/lib/applications/queries/applicant-status";
import { findApplyOrganizationOrThrow } from "@/lib/applications/intake/apply-page";
import { isAppError } from "@/lib/errors/app-error";
import { asServiceUnavailable } from "@/lib/errors/database-unavailable";
import { SignedInBar } from "../apply-view";
import styles from "../apply.module.css";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Your applications" };

type Props = { params: Promise<{ slug: string }> };

const date = (iso: string) =>
  new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }).format(new Date(iso)) +
  " UTC";

async function load(slug: string) {
  try {
    const applicant = await readApplicant((await cookies()).get(APPLICANT_COOKIE)?.value);
    if (!applicant) return { applicant, organization: await findApplyOrganizationOrThrow(slug), data: null };
    const data = await listApplicantApplications({ slug, applicant });
    return { applicant, organization: data.organization, data };
  } catch (e) {
    if (isAppError(e) && e.code === "not_found") notFound();
    throw asServiceUnavailable(e);
  }
}

export default async function ApplicantStatusPage({ params }: Props) {
  const { slug } = await params;
  const { applicant, organization, data } = await load(slug);
  const here = `/apply/${organization.slug}/status`;
  return (
    <main className={styles.page}>
      <section className={styles.card}>
        <h1 className={styles.title}>Your applications to {data?.organization.server ?? organization.name}</h1>
        {!applicant || !data ? (
          <>
            <p className={styles.lead}>Sign in with Discord to see your applications and their decisions.</p>
            <a className={styles.discordButton} href={`/api/apply/${organization.slug}/login`}>
              Sign in with Discord
            </a>
          </>
        ) : (
          <>
            <SignedInBar
              name={applicant.name}
              loginHref={`/api/apply/${organization.slug}/login`}
              statusHref={here}
              here={here}
            />
            {data.applications.length === 0 ? (
              <p className={styles.lead}>
                You have not applied yet. <a href={`/apply/${organization.slug}`}>Apply now</a>.
              </p>
            ) : (
              <ul className={styles.applications}>
                {data.applications.map((a) => (
                  <li key={a.id} className={styles.application} data-application={a.id}>
                    <h2>{a.form.name}</h2>
                    <p className={styles.status} data-status={a.status} role="status">
                      <strong>{a.state}</strong>
                      {a.decidedAt ? ` · decided ${date(a.decidedAt)}` : ` · sent ${date(a.createdAt)}`}
                    </p>
                    {a.status === "REJECTED" ? (
                      <p>
                        <strong>Reason:</strong> {a.rejectReason ?? "No reason was given."}
                      </p>
                    ) : null}
                    {a.status.startsWith("REVOKED") ? (
                      <p data-testid="revocation">
                        {a.revokedAt ? `Withdrawn ${date(a.revokedAt)}. ` : ""}
                        <strong>Reason:</strong> {a.revokeReason ?? "No reason was given."}
                      </p>
                    ) : null}
                    {a.next ? <p className={styles.lead}>{a.next}</p> : null}
                    {a.inviteUrl ? (
                      <a className={styles.discordButton} href={a.inviteUrl} rel="noopener noreferrer">
                        Join {data.organization.server}
                      </a>
                    ) : null}
                    <details>
                      <summary>Your answers</summary>
                      <dl className={styles.answers}>
                        {a.answers.map((answer, i) => (
                          <div key={`${answer.label}-${i}`}>
                            <dt>{answer.label}</dt>
                            <dd>{answer.value || "No answer"}</dd>
                          </div>
                        ))}
                      </dl>
                    </details>
                  </li>
                ))}
              </ul>
            )}
          </>
        )}
      </section>
    </main>
  );
}
