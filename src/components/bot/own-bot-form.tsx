"use client";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { apiFetch } from "@/components/api/client";
import { Button } from "@/components/ui/button";
import { Notice } from "@/components/ui/card";
import { Field, inputClass } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { useAction } from "@/components/ui/use-action";
import formStyles from "@/components/dashboard/forms.module.css";
import styles from "./bot.module.css";

export type OwnBotFormProps = {
  slug: string;
  ownBotApplicationId: string | null;
  /** A bot is in the guild (or joining): switching applications needs a disconnect first; rotating a token does not. */
  connected?: boolean;
};

const LABELS = {
  applicationId: "Application id",
  clientSecret: "Client secret",
  botToken: "Bot token",
  publicKey: "Public key",
};

/** Bring your own bot: the secrets go to the server once and are never shown again (the fields start empty). */
export function OwnBotForm({ slug, ownBotApplicationId, connected = false }: OwnBotFormProps) {
  const router = useRouter();
  const [applicationId, setApplicationId] = useState(connected && ownBotApplicationId ? ownBotApplicationId : "");
  const [clientSecret, setClientSecret] = useState("");
  const [botToken, setBotToken] = useState("");
  const [publicKey, setPublicKey] = useState("");
  const saving = useAction();
  const url = `/api/orgs/${encodeURIComponent(slug)}/bot/credentials`;

  // Said before any secret is typed: the server would refuse a different application while a bot is connected.
  if (connected && !ownBotApplicationId) {
    return (
      <Notice tone="info" title="Disconnect the bot first">
        <p>
          Guildgate&apos;s bot is connected to your server. To use your own Discord application instead, disconnect the
          bot under <a href="#bot">Discord bot</a> first, then come back here to enter your application&apos;s
          credentials and connect again.
        </p>
      </Notice>
    );
  }

  async function save(event: FormEvent) {
    event.preventDefault();
    const problems: Record<string, string> = {};
    if (!/^\d{17,20}$/.test(applicationId.trim()))
      problems.applicationId =
        "Enter the application id: the 17 to 20 digits under Developer Portal > your application > General Information.";
    if (!clientSecret.trim())
      problems.clientSecret =
        "Enter the client secret from Developer Portal > your application > OAuth2 (Reset Secret shows a new one).";
    if (!botToken.trim())
      problems.botToken =
        "Enter the bot token from Developer Portal > your application > Bot (Reset Token shows a new one).";
    if (publicKey.trim() && !/^[0-9a-fA-F]{64}$/.test(publicKey.trim()))
      problems.publicKey =
        "Enter the public key: the 64 characters (0-9, a-f) under Developer Portal > your application > General Information.";
    if (Object.keys(problems).length) return saving.fail("Fill in the highlighted fields, then save.", problems);
    const done = await saving.run(
      () =>
        apiFetch(url, {
          method: "PUT",
          body: {
            applicationId: applicationId.trim(),
            clientSecret: clientSecret.trim(),
            botToken: botToken.trim(),
            ...(publicKey.trim() ? { publicKey: publicKey.trim() } : {}),
          },
        }),
      {
        success: connected
          ? "The new token is saved and in use."
          : "Your bot is saved. Connect it to your server to use it.",
        labels: LABELS,
      },
    );
    if (done === undefined) return;
    setClientSecret("");
    setBotToken("");
    router.refresh();
  }

  async function remove() {
    const done = await saving.run(() => apiFetch(url, { method: "DELETE" }), {
      errorTo: "toast",
      success: "Switched back to Guildgate's bot.",
      key: "remove",
    });
    if (done !== undefined) router.refresh();
  }

  return (
    <div className={styles.stack}>
      <p className={styles.meta}>
        {ownBotApplicationId ? (
          connected ? (
            <>
              Using your own bot (application <code>{ownBotApplicationId}</code>). You can replace its secret and token
              here; to switch to another application or back to Guildgate&apos;s bot, disconnect the bot first.
            </>
          ) : (
            <>
              Using your own bot (application <code>{ownBotApplicationId}</code>). Enter new values to replace it.
            </>
          )
        ) : (
          "Using Guildgate's bot. To use your own Discord application instead, enter its credentials; the token is checked with Discord before it is stored, encrypted."
        )}
      </p>
      <form
        onSubmit={save}
        className={formStyles.form}
        noValidate
        autoComplete="off"
        ref={saving.bindForm}
        aria-label="Your own bot's credentials"
      >
        <Field label="Application id" error={saving.fieldErrors.applicationId}>
          {(p) => (
            <input
              {...p}
              className={inputClass}
              value={applicationId}
              onChange={(e) => setApplicationId(e.target.value)}
              inputMode="numeric"
              readOnly={connected && Boolean(ownBotApplicationId)}
            />
          )}
        </Field>
        <Field label="Client secret" error={saving.fieldErrors.clientSecret}>
          {(p) => (
            <input
              {...p}
              className={inputClass}
              type="password"
              value={clientSecret}
              onChange={(e) => setClientSecret(e.target.value)}
              autoComplete="off"
            />
          )}
        </Field>
        <Field
          label="Bot token"
          hint="Developer Portal > your application > Bot > Reset Token."
          error={saving.fieldErrors.botToken}
        >
          {(p) => (
            <input
              {...p}
              className={inputClass}
              type="password"
              value={botToken}
              onChange={(e) => setBotToken(e.target.value)}
              autoComplete="off"
            />
          )}
        </Field>
        <Field
          label="Public key"
          hint="Optional, for reviewing in Discord: Developer Portal > your application > General Information > Public Key. Kept when left empty."
          error={saving.fieldErrors.publicKey}
        >
          {(p) => (
            <input
              {...p}
              className={inputClass}
              value={publicKey}
              onChange={(e) => setPublicKey(e.target.value)}
              autoComplete="off"
              spellCheck={false}
            />
          )}
        </Field>
        <FormError message={Object.keys(saving.fieldErrors).length ? null : saving.error} />
        <div className={formStyles.actions}>
          <Button type="submit" variant="primary" loading={saving.pendingKey === "default"} disabled={saving.pending}>
            Save and verify
          </Button>
          {ownBotApplicationId && !connected ? (
            <Button onClick={() => void remove()} loading={saving.pendingKey === "remove"} disabled={saving.pending}>
              Use Guildgate&apos;s bot instead
            </Button>
          ) : null}
        </div>
      </form>
    </div>
  );
}
