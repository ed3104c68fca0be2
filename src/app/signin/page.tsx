import { redirect } from "next/navigation";
import { safeNextPath } from "@/lib/security/discord-sign-in";
import { withOutagePage } from "@/lib/errors/database-unavailable";
import { getSession } from "@/lib/security/session";
import { signInErrorMessage } from "@/components/dashboard/messages";
import { Notice } from "@/components/ui/card";
import styles from "./signin.module.css";

export const metadata = { title: "Sign in" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function SignInPage({ searchParams }: Props) {
  const params = await searchParams;
  // Only same-site paths: an open redirect through ?next= would let a link send admins anywhere after sign-in.
  const next = (typeof params.next === "string" ? safeNextPath(params.next) : undefined) ?? "/dashboard";
  const error = typeof params.error === "string" ? params.error : undefined;
  if (!error && (await withOutagePage(() => getSession()))) redirect(next);
  const loginHref = `/api/auth/discord/login?next=${encodeURIComponent(next)}`;
  return (
    <main className={styles.main}>
      <div className={styles.card}>
        <div className={styles.brand}>
          <span className={styles.logo} aria-hidden="true" /> Guildgate
        </div>
        <h1 className={styles.title}>Sign in to the dashboard</h1>
        <p className={styles.lead}>
          Review applications, connect your server&apos;s bot and manage access with your Discord account.
        </p>
        {error ? (
          <Notice tone="danger" title="Sign-in did not complete" role="alert">
            {signInErrorMessage(error)}
          </Notice>
        ) : null}
        <a className={styles.discord} href={loginHref}>
          <svg aria-hidden="true" width="20" height="20" viewBox="0 0 24 24" fill="currentColor">
            <path d="M20.3 4.4A19.8 19.8 0 0 0 15.4 3l-.6 1.3a18.4 18.4 0 0 0-5.6 0L8.6 3a19.7 19.7 0 0 0-4.9 1.5C.6 9.1-.3 13.7.1 18.2a19.9 19.9 0 0 0 6 3l1.3-2.1a12.9 12.9 0 0 1-2-1l.5-.4a14.2 14.2 0 0 0 12.2 0l.5.4c-.6.4-1.3.7-2 1l1.3 2.1a19.8 19.8 0 0 0 6-3c.5-5.2-.8-9.8-3.6-13.8ZM8.3 15.5c-1.2 0-2.2-1.1-2.2-2.4s1-2.4 2.2-2.4 2.2 1.1 2.2 2.4-1 2.4-2.2 2.4Zm7.4 0c-1.2 0-2.2-1.1-2.2-2.4s1-2.4 2.2-2.4 2.2 1.1 2.2 2.4-1 2.4-2.2 2.4Z" />
          </svg>
          Continue with Discord
        </a>
        <p className={styles.fine}>We only read your Discord name and avatar. Nothing is posted on your behalf.</p>
      </div>
    </main>
  );
}
