// The public application page of an organization: "Apply with Discord", the organization's questions, then the
// applicant's current status.
import type { Metadata } from "next";
import { cookies } from "next/headers";
import { notFound } from "next/navigation";
import { APPLICANT_COOKIE, readApplicant } from "@/lib/applications/applicant-auth";
import { findApplyOrganizationOrThrow, getApplyPageData } from "@/lib/applications/apply-page";
import { getBotConnection } from "@/lib/bot-connection/get-connection";
import { env } from "@/lib/env";
import { isAppError } from "@/lib/errors/app-error";
import { ApplyForm, type ApplyQuestion } from "./apply-form";
import styles from "./apply.module.css";

export const dynamic = "force-dynamic";

/** The sentence a shared link previews with (Discord, chat apps): whom you join and how. */
function shareDescription(organizationName: string, guildName: string | null): string {
  const where = guildName ? `the ${guildName} Discord server` : `${organizationName} on Discord`;
  return `Apply to join ${where}: sign in with Discord, answer a few questions, and the team reviews your application.`;
}

export async function generateMetadata({ params }: { params: Promise<{ slug: string }> }): Promise<Metadata> {
  const { slug } = await params;
  try {
    const organization = await findApplyOrganizationOrThrow(slug);
    const { guildName } = await getBotConnection({ organizationId: organization.id });
    const title = `Apply to join ${guildName ?? organization.name}`;
    const description = shareDescription(organization.name, guildName);
    const url = new URL(`/apply/${organization.slug}`, env.APP_URL).toString();
    return {
      title,
      description,
      openGraph: { title, description, url, siteName: "Guildgate", type: "website" },
      twitter: { card: "summary", title, description },
    };
  } catch (e) {
    if (isAppError(e) && e.code === "not_found") return { title: "Application page not found" };
    throw e;
  }
}

const STATUS_TEXT: Record<string, string> = {
  PENDING: "Your application is waiting for review. You will get the server role when it is approved.",
  REJECTED: "Your last application was not accepted. You can apply again below.",
  APPROVED: "Your application was approved.",
  APPROVED_PENDING_ROLE: "Your application was approved. Your role in the Discord server is being given.",
  APPROVED_ROLE_ASSIGNED: "Your application was approved and you have your role in the Discord server.",
  APPROVED_ROLE_FAILED: "Your application was approved. If you have not joined the Discord server yet, join it: the role follows.",
};

const ERROR_TEXT: Record<string, string> = {
  cancelled: "Discord sign-in was cancelled.",
  login_failed: "Discord sign-in failed; please try again.",
  invalid_state: "That sign-in link expired; please try again.",
  not_configured: "Sign-in with Discord is not configured on this server.",
};

type Props = { params: Promise<{ slug: string }>; searchParams: Promise<{ error?: string }> };

export default async function ApplyPage({ params, searchParams }: Props) {
  const { slug } = await params;
  const { error } = await searchParams;
  const applicant = await readApplicant((await cookies()).get(APPLICANT_COOKIE)?.value);
  let data: Awaited<ReturnType<typeof getApplyPageData>>;
  try {
    data = await getApplyPageData({ slug, applicant });
  } catch (e) {
    if (isAppError(e) && e.code === "not_found") notFound();
    throw e;
  }
  const { organization, questions, latest } = data;
  const { guildName } = await getBotConnection({ organizationId: organization.id });
  const canApply = !latest || latest.status === "REJECTED";
  const formQuestions: ApplyQuestion[] = questions.map((q) => ({
    id: q.id,
    label: q.label,
    kind: q.kind,
    required: q.required,
    options: q.options,
    maxLength: q.maxLength,
  }));

  return (
    <main className={styles.page}>
      <section className={styles.card}>
        <header className={styles.server}>
          <span className={styles.serverIcon} aria-hidden="true">
            {(guildName ?? organization.name).charAt(0).toUpperCase()}
          </span>
          <div>
            <h1 className={styles.title}>Apply to join {guildName ?? organization.name}</h1>
            <p className={styles.serverMeta}>
              {guildName && guildName !== organization.name ? `${guildName} · run by ${organization.name}` : "A Discord community"}
            </p>
          </div>
        </header>
        <p className={styles.lead}>{shareDescription(organization.name, guildName)}</p>
        {error && ERROR_TEXT[error] ? <p className={styles.error} role="alert">{ERROR_TEXT[error]}</p> : null}
        {!applicant ? (
          <>
            <p className={styles.lead}>Sign in with Discord first, so the team knows which account should get the server role. Only your Discord name and id are read.</p>
            <a className={styles.discordButton} href={`/api/apply/${organization.slug}/login`}>
              Apply with Discord
            </a>
          </>
        ) : (
          <>
            <p className={styles.signedIn}>
              Signed in as <strong>{applicant.name}</strong>.{" "}
              <a href={`/api/apply/${organization.slug}/login`}>Not you?</a>
            </p>
            {latest ? (
              <p className={styles.status} data-status={latest.status} role="status">
                {STATUS_TEXT[latest.status]}
              </p>
            ) : null}
            {canApply ? <ApplyForm slug={organization.slug} questions={formQuestions} /> : null}
          </>
        )}
      </section>
    </main>
  );
}
