// The public application page of an organization, for /apply/<org> and /apply/<org>/<form>: "Apply with Discord",
// then the form's questions and the applicant's current status; with several open forms and none chosen, a list.
import { cookies } from "next/headers";
import { notFound } from "next/navigation";
import { APPLICANT_COOKIE, readApplicant } from "@/lib/applications/intake/applicant-auth";
import { getApplyPageData } from "@/lib/applications/intake/apply-page";
import { getBotConnection } from "@/lib/bot-connection/get-connection";
import { isAppError } from "@/lib/errors/app-error";
import { asServiceUnavailable } from "@/lib/errors/database-unavailable";
import { ApplyForm, type ApplyQuestion } from "./apply-form";
import styles from "./apply.module.css";

const STATUS_TEXT: Record<string, string> = {
  PENDING: "Your application is waiting for review. You will get the server role when it is approved.",
  REJECTED: "Your last application was not accepted.",
  APPROVED: "Your application was approved.",
  APPROVED_PENDING_ROLE: "Your application was approved. Your role in the Discord server is being given.",
  APPROVED_ROLE_ASSIGNED: "Your application was approved and you have your role in the Discord server.",
  APPROVED_ROLE_FAILED: "Your application was approved. Your applications page says what to do next.",
  REVOKED_PENDING_ROLE_REMOVAL: "Your approval was withdrawn.",
  REVOKED: "Your approval was withdrawn. You can apply again below.",
  REVOKED_ROLE_REMOVAL_FAILED: "Your approval was withdrawn.",
};

const ERROR_TEXT: Record<string, string> = {
  cancelled: "Discord sign-in was cancelled.",
  login_failed: "Discord sign-in failed; please try again.",
  invalid_state: "That sign-in link expired; please try again.",
  not_configured: "Sign-in with Discord is not configured on this server.",
};

/** The sentence a shared link previews with (Discord, chat apps): whom you join and how. */
export function shareDescription(organizationName: string, guildName: string | null): string {
  const where = guildName ? `the ${guildName} Discord server` : `${organizationName} on Discord`;
  return `Apply to join ${where}: sign in with Discord, answer a few questions, and the team reviews your application.`;
}

/** Who is signed in, their applications page and sign-out (POST, so a link elsewhere cannot sign them out). */
export function SignedInBar(props: { name: string; loginHref: string; statusHref: string; here: string }) {
  return (
    <form className={styles.signedIn} method="post" action={`/api/apply/logout?next=${encodeURIComponent(props.here)}`}>
      Signed in as <strong>{props.name}</strong>. <a href={props.loginHref}>Not you?</a> ·{" "}
      <a href={props.statusHref}>Your applications</a> ·{" "}
      <button type="submit" className={styles.linkButton}>
        Sign out
      </button>
    </form>
  );
}

export type ApplyViewProps = { slug: string; formSlug: string | null; error?: string };

export async function ApplyView({ slug, formSlug, error }: ApplyViewProps) {
  const applicant = await readApplicant((await cookies()).get(APPLICANT_COOKIE)?.value);
  let data: Awaited<ReturnType<typeof getApplyPageData>>;
  try {
    data = await getApplyPageData({ slug, formSlug, applicant });
  } catch (e) {
    if (isAppError(e) && e.code === "not_found") notFound();
    throw asServiceUnavailable(e);
  }
  const { organization, forms, form, questions, latest, ineligible, requirements } = data;
  const { guildName } = await getBotConnection({ organizationId: organization.id });
  const server = guildName ?? organization.name;
  const canApply = !latest || latest.status === "REJECTED" || latest.status === "REVOKED";
  const formQuestions: ApplyQuestion[] = questions.map((q) => ({
    id: q.id,
    label: q.label,
    helpText: q.helpText,
    kind: q.kind,
    required: q.required,
    options: q.options,
    minLength: q.minLength,
    maxLength: q.maxLength,
    minValue: q.minValue,
    maxValue: q.maxValue,
  }));
  const statusHref = `/apply/${organization.slug}/status`;
  const here = `/apply/${organization.slug}${form && formSlug ? `/${form.slug}` : ""}`;
  const loginHref = `/api/apply/${organization.slug}/login${form ? `?form=${encodeURIComponent(form.slug)}` : ""}`;
  const title = form && !form.isDefault ? `${form.name}: ${server}` : `Apply to join ${server}`;

  return (
    <main className={styles.page}>
      <section className={styles.card}>
        <header className={styles.server}>
          <span className={styles.serverIcon} aria-hidden="true">
            {server.charAt(0).toUpperCase()}
          </span>
          <div>
            <h1 className={styles.title}>{title}</h1>
            <p className={styles.serverMeta}>
              {guildName && guildName !== organization.name
                ? `${guildName} · run by ${organization.name}`
                : "A Discord community"}
            </p>
          </div>
        </header>
        <p className={styles.lead}>{form?.description || shareDescription(organization.name, guildName)}</p>
        {error && ERROR_TEXT[error] ? (
          <p className={styles.error} role="alert">
            {ERROR_TEXT[error]}
          </p>
        ) : null}
        {!form ? (
          forms.length ? (
            <>
              <p className={styles.lead}>Choose what you are applying for.</p>
              <ul className={styles.forms}>
                {forms.map((f) => (
                  <li key={f.id}>
                    <a className={styles.formLink} href={`/apply/${organization.slug}/${f.slug}`}>
                      <strong>{f.name}</strong>
                      {f.description ? <span className={styles.optional}> — {f.description}</span> : null}
                    </a>
                  </li>
                ))}
              </ul>
            </>
          ) : (
            <p className={styles.lead}>{organization.name} is not taking applications right now.</p>
          )
        ) : !form.isOpen ? (
          <p className={styles.status} role="status">
            This form is closed and takes no applications right now.
          </p>
        ) : !applicant ? (
          <>
            <p className={styles.lead}>
              Sign in with Discord first, so the team knows which account should get the server role. Only your Discord
              name and id are read.
            </p>
            {requirements && requirements.minAccountAgeDays > 0 ? (
              <p className={styles.lead}>
                Your Discord account must be at least {requirements.minAccountAgeDays} days old to apply.
              </p>
            ) : null}
            <a className={styles.discordButton} href={loginHref}>
              Apply with Discord
            </a>
          </>
        ) : (
          <>
            <SignedInBar name={applicant.name} loginHref={loginHref} statusHref={statusHref} here={here} />
            {latest ? (
              <p className={styles.status} data-status={latest.status} role="status">
                {STATUS_TEXT[latest.status]}
                {latest.status === "REJECTED" && latest.rejectReason ? ` Reason: ${latest.rejectReason}` : ""}
                {latest.status.startsWith("REVOKED") && latest.revokeReason
                  ? ` Reason: ${latest.revokeReason}`
                  : ""}{" "}
                <a href={statusHref}>Your applications</a>
              </p>
            ) : null}
            {canApply && ineligible ? (
              <p className={styles.status} data-status="INELIGIBLE" data-code={ineligible.code} role="status">
                {ineligible.message}
              </p>
            ) : canApply ? (
              <ApplyForm slug={organization.slug} formSlug={form.slug} questions={formQuestions} />
            ) : null}
          </>
        )}
      </section>
    </main>
  );
}
