"use client";
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useState, type FormEvent } from "react";
import { apiFetch, describeApiError } from "@/components/api/client";
import { Button } from "@/components/ui/button";
import { CopyField } from "@/components/ui/copy-field";
import { Field, inputClass } from "@/components/ui/field";
import { LoadState } from "@/components/ui/load-state";
import { FormError } from "@/components/ui/form-error";
import { toggled } from "@/components/ui/toggled";
import { useAction } from "@/components/ui/use-action";
import formStyles from "@/components/dashboard/forms.module.css";
import styles from "./bot.module.css";

type ChannelOption = { id: string; name: string; missing: string[] };
type RoleOption = { id: string; name: string };
type Settings = {
  reviewChannelId: string | null;
  reviewerRoleIds: string[];
  channels: ChannelOption[];
  roles: RoleOption[];
};

export type ReviewFormProps = {
  slug: string;
  /** The Interactions Endpoint URL to enter in Discord's developer portal (shown for an own bot). */
  interactionsUrl: string | null;
};

/** Review in Discord: the channel new applications are posted in, and the roles that may decide there. */
export function ReviewForm({ slug, interactionsUrl }: ReviewFormProps) {
  const router = useRouter();
  const action = useAction();
  const [settings, setSettings] = useState<Settings | null>(null);
  const [channel, setChannel] = useState("");
  const [roles, setRoles] = useState<Set<string>>(new Set());
  const [loadError, setLoadError] = useState<string | null>(null);
  const url = `/api/orgs/${encodeURIComponent(slug)}/bot/review`;

  const fetchSettings = useCallback(
    (fresh = false) =>
      apiFetch<{ settings: Settings }>(fresh ? `${url}?fresh=1` : url).then(
        ({ settings: s }) => {
          setLoadError(null);
          setSettings(s);
          setChannel(s.reviewChannelId ?? "");
          setRoles(new Set(s.reviewerRoleIds));
        },
        (e: unknown) => setLoadError(describeApiError(e)),
      ),
    [url],
  );
  useEffect(() => {
    void fetchSettings();
  }, [fetchSettings]);

  async function save(event: FormEvent) {
    event.preventDefault();
    const saved = await action.run(
      () => apiFetch(url, { method: "PUT", body: { reviewChannelId: channel || null, reviewerRoleIds: [...roles] } }),
      { success: channel ? "New applications will be posted in Discord." : "Posting in Discord is off." },
    );
    if (saved !== undefined) router.refresh();
  }

  if (!settings)
    return (
      <LoadState error={loadError} onRetry={() => void fetchSettings(true)} loading="Loading the server's channels…" />
    );
  const chosen = settings.channels.find((c) => c.id === channel);
  return (
    <form onSubmit={save} className={formStyles.form} noValidate aria-label="Review in Discord" ref={action.bindForm}>
      <Field
        label="Review channel"
        hint="Every new application is posted here with Approve and Reject buttons. The bot needs View Channel, Send Messages and Embed Links there."
      >
        {(p) => (
          <select {...p} className={inputClass} value={channel} onChange={(e) => setChannel(e.target.value)}>
            <option value="">Do not post applications in Discord</option>
            {settings.channels.map((c) => (
              <option key={c.id} value={c.id}>
                #{c.name}
                {c.missing.length ? ` (the bot lacks ${c.missing.join(", ")})` : ""}
              </option>
            ))}
          </select>
        )}
      </Field>
      {chosen?.missing.length ? (
        <p role="status" className={formStyles.formError}>
          The bot lacks {chosen.missing.join(", ")} in #{chosen.name}: in Discord, open the channel&apos;s settings →
          Permissions, add the bot&apos;s role and allow them.
        </p>
      ) : null}
      <fieldset className={formStyles.checks}>
        <legend>Reviewer roles</legend>
        {settings.roles.map((r) => (
          <label key={r.id} className={formStyles.check}>
            <input
              type="checkbox"
              checked={roles.has(r.id)}
              onChange={(e) => setRoles((all) => toggled(all, r.id, e.target.checked))}
            />
            <span>{r.name}</span>
          </label>
        ))}
        <span className={formStyles.checkHint}>
          Members with the Reviewer role (or higher) here can always decide in Discord; holders of these server roles
          can too.
        </span>
      </fieldset>
      {interactionsUrl ? (
        <div className={styles.stack}>
          <p className={styles.meta}>
            Your own bot: enter this Interactions Endpoint URL in Discord&apos;s Developer Portal &gt; your application
            &gt; General Information, and the application&apos;s public key under Bring your own bot.
          </p>
          <CopyField label="Interactions Endpoint URL" value={interactionsUrl} />
        </div>
      ) : null}
      <FormError message={action.error} />
      <div className={formStyles.actions}>
        <Button type="submit" variant="primary" loading={action.pending}>
          Save review settings
        </Button>
      </div>
    </form>
  );
}
