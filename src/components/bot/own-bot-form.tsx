"use client";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { apiFetch, describeApiError } from "@/components/api/client";
import { Button } from "@/components/ui/button";
import { Field, inputClass } from "@/components/ui/field";
import { useToast } from "@/components/ui/toast";
import formStyles from "@/components/dashboard/forms.module.css";
import styles from "./bot.module.css";

/** Bring your own bot: the secrets go to the server once and are never shown again (the fields start empty). */
export function OwnBotForm({ slug, ownBotApplicationId }: { slug: string; ownBotApplicationId: string | null }) {
  const router = useRouter();
  const toast = useToast();
  const [applicationId, setApplicationId] = useState("");
  const [clientSecret, setClientSecret] = useState("");
  const [botToken, setBotToken] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const url = `/api/orgs/${encodeURIComponent(slug)}/bot/credentials`;

  async function save(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await apiFetch(url, { method: "PUT", body: { applicationId: applicationId.trim(), clientSecret: clientSecret.trim(), botToken: botToken.trim() } });
      setClientSecret("");
      setBotToken("");
      toast.show("Your bot is saved. Connect it to your server to use it.", "success");
      router.refresh();
    } catch (e) {
      setError(describeApiError(e));
    } finally {
      setBusy(false);
    }
  }

  async function remove() {
    setBusy(true);
    try {
      await apiFetch(url, { method: "DELETE" });
      toast.show("Switched back to Guildgate's bot.", "success");
      router.refresh();
    } catch (e) {
      toast.show(describeApiError(e), "danger");
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className={styles.stack}>
      <p className={styles.meta}>
        {ownBotApplicationId ? (
          <>
            Using your own bot (application <code>{ownBotApplicationId}</code>). Enter new values to replace it.
          </>
        ) : (
          "Using Guildgate's bot. To use your own Discord application instead, enter its credentials; the token is checked with Discord before it is stored, encrypted."
        )}
      </p>
      <form onSubmit={save} className={formStyles.form} noValidate autoComplete="off">
        <Field label="Application id">
          {(p) => <input {...p} className={inputClass} value={applicationId} onChange={(e) => setApplicationId(e.target.value)} inputMode="numeric" />}
        </Field>
        <Field label="Client secret">
          {(p) => <input {...p} className={inputClass} type="password" value={clientSecret} onChange={(e) => setClientSecret(e.target.value)} autoComplete="off" />}
        </Field>
        <Field label="Bot token" hint="Developer Portal > your application > Bot > Reset Token.">
          {(p) => <input {...p} className={inputClass} type="password" value={botToken} onChange={(e) => setBotToken(e.target.value)} autoComplete="off" />}
        </Field>
        {error ? (
          <p role="alert" className={formStyles.formError}>
            {error}
          </p>
        ) : null}
        <div className={formStyles.actions}>
          <Button type="submit" variant="primary" loading={busy} disabled={!applicationId.trim() || !clientSecret.trim() || !botToken.trim()}>
            Save and verify
          </Button>
          {ownBotApplicationId ? (
            <Button onClick={() => void remove()} disabled={busy}>
              Use Guildgate&apos;s bot instead
            </Button>
          ) : null}
        </div>
      </form>
    </div>
  );
}
