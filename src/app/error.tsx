"use client";
// Errors of any page below the root layout. A database outage (the server throws DatabaseUnavailableError, whose
// digest survives production's hidden messages) gets a "temporarily unavailable" page that retries; anything else
// a plain "something went wrong" without internal text.
import { useRouter } from "next/navigation";
import { startTransition, useEffect } from "react";
import { Button, ButtonLink } from "@/components/ui/button";
import { isOutageDigest } from "@/lib/errors/outage-digest";
import styles from "./status-page.module.css";

type Props = { error: Error & { digest?: string }; reset: () => void };

export default function ErrorPage({ error, reset }: Props) {
  const router = useRouter();
  const outage = isOutageDigest(error);
  const retry = () =>
    startTransition(() => {
      router.refresh();
      reset();
    });
  useEffect(() => {
    document.title = outage ? "Temporarily unavailable · Guildgate" : "Something went wrong · Guildgate";
  }, [outage]);
  return (
    <main className={styles.main}>
      <p className={styles.code}>{outage ? "503" : "500"}</p>
      <h1 className={styles.title}>
        {outage ? "Guildgate is temporarily unavailable" : "Something went wrong on our side"}
      </h1>
      <p className={styles.text}>
        {outage
          ? "We cannot reach our database right now. Nothing you saved is lost: try again in a few seconds."
          : "The page could not be shown. Try again; if it keeps happening, contact support with the time it happened."}
      </p>
      <div className={styles.actions}>
        <Button variant="primary" onClick={retry}>
          Try again
        </Button>
        <ButtonLink href="/dashboard">Your organizations</ButtonLink>
      </div>
    </main>
  );
}
