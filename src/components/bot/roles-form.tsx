"use client";
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useState, type FormEvent } from "react";
import { apiFetch, describeApiError } from "@/components/api/client";
import { Button } from "@/components/ui/button";
import { Field, inputClass } from "@/components/ui/field";
import { Spinner } from "@/components/ui/spinner";
import { useToast } from "@/components/ui/toast";
import formStyles from "@/components/dashboard/forms.module.css";
import styles from "./bot.module.css";
import { toggled } from "@/components/ui/toggled";

type RoleOption = { id: string; name: string; assignable: boolean; reason?: string };
type Settings = { approvedRoleId: string | null; assignableRoleIds: string[]; roles: RoleOption[] };

/** The approved role and the extra roles the assign-role API may grant, picked from the server's roles. */
export function RolesForm({ slug }: { slug: string }) {
  const router = useRouter();
  const toast = useToast();
  const [settings, setSettings] = useState<Settings | null>(null);
  const [approved, setApproved] = useState("");
  const [extra, setExtra] = useState<Set<string>>(new Set());
  const [loadError, setLoadError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const url = `/api/orgs/${encodeURIComponent(slug)}/bot/roles`;

  // State changes only in the answer's callbacks, so the mount effect sets no state synchronously.
  const fetchSettings = useCallback(
    () =>
      apiFetch<{ settings: Settings }>(url).then(
        ({ settings: s }) => {
          setLoadError(null);
          setSettings(s);
          setApproved(s.approvedRoleId ?? "");
          setExtra(new Set(s.assignableRoleIds));
        },
        (e: unknown) => setLoadError(describeApiError(e)),
      ),
    [url],
  );
  useEffect(() => {
    void fetchSettings();
  }, [fetchSettings]);
  const load = () => {
    setLoadError(null);
    void fetchSettings();
  };

  async function save(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await apiFetch(url, {
        method: "PUT",
        body: { approvedRoleId: approved, assignableRoleIds: [...extra].filter((id) => id !== approved) },
      });
      toast.show("Roles saved.", "success");
      router.refresh();
    } catch (e) {
      setError(describeApiError(e));
    } finally {
      setBusy(false);
    }
  }

  if (loadError) {
    return (
      <div className={styles.row}>
        <p role="alert" className={formStyles.formError}>
          {loadError}
        </p>
        <Button size="sm" onClick={load}>
          Try again
        </Button>
      </div>
    );
  }
  if (!settings) {
    return (
      <p className={styles.meta}>
        <Spinner size="sm" label="" /> Loading the server&apos;s roles…
      </p>
    );
  }
  const label = (r: RoleOption) => (r.assignable ? r.name : `${r.name} (${r.reason})`);
  return (
    <form onSubmit={save} className={formStyles.form} noValidate>
      <Field
        label="Approved role"
        hint="Given to every approved applicant. Only roles below the bot's own role can be given."
      >
        {(p) => (
          <select {...p} className={inputClass} value={approved} onChange={(e) => setApproved(e.target.value)}>
            {approved ? null : <option value="">Pick a role</option>}
            {settings.roles.map((r) => (
              <option key={r.id} value={r.id} disabled={!r.assignable}>
                {label(r)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <fieldset className={formStyles.checks}>
        <legend>Also assignable through the API</legend>
        {settings.roles
          .filter((r) => r.assignable && r.id !== approved)
          .map((r) => (
            <label key={r.id} className={formStyles.check}>
              <input
                type="checkbox"
                checked={extra.has(r.id)}
                onChange={(e) => setExtra((all) => toggled(all, r.id, e.target.checked))}
              />
              <span>{r.name}</span>
            </label>
          ))}
        <span className={formStyles.checkHint}>
          POST /api/discord/assign-role grants only the approved role and these.
        </span>
      </fieldset>
      {error ? (
        <p role="alert" className={formStyles.formError}>
          {error}
        </p>
      ) : null}
      <div className={formStyles.actions}>
        <Button type="submit" variant="primary" loading={busy} disabled={!approved}>
          Save roles
        </Button>
      </div>
    </form>
  );
}
