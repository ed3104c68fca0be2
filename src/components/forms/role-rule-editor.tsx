"use client";
// A form's role rule, picked from the server's roles: the roles an approval adds and removes, the role a rejection
// adds, and whether a revocation gives back removed roles. The server checks every role with Discord on save.
import { useCallback, useEffect, useState, type FormEvent } from "react";
import { apiFetch, describeApiError } from "@/components/api/client";
import { Button } from "@/components/ui/button";
import { Field, inputClass } from "@/components/ui/field";
import { Spinner } from "@/components/ui/spinner";
import { toggled } from "@/components/ui/toggled";
import { useToast } from "@/components/ui/toast";
import formStyles from "@/components/dashboard/forms.module.css";
import { formsApi, type FormView } from "./types";
import styles from "./forms.module.css";

type RoleOption = { id: string; name: string; assignable: boolean; reason?: string };

export function RoleRuleEditor({ slug, form }: { slug: string; form: FormView }) {
  const toast = useToast();
  const [roles, setRoles] = useState<RoleOption[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [add, setAdd] = useState(new Set(form.roleRule.approveAddRoleIds));
  const [remove, setRemove] = useState(new Set(form.roleRule.approveRemoveRoleIds));
  const [rejectAdd, setRejectAdd] = useState(form.roleRule.rejectAddRoleId ?? "");
  const [restore, setRestore] = useState(form.roleRule.restoreOnRevoke);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  // State changes only in the answer's callbacks, so the mount effect sets no state synchronously.
  const load = useCallback(
    () =>
      apiFetch<{ settings: { roles: RoleOption[] } }>(`/api/orgs/${encodeURIComponent(slug)}/bot/roles?fresh=1`).then(
        ({ settings }) => {
          setLoadError(null);
          setRoles(settings.roles);
        },
        (e: unknown) => setLoadError(describeApiError(e)),
      ),
    [slug],
  );
  useEffect(() => {
    void load();
  }, [load]);

  async function save(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await apiFetch(`${formsApi(slug)}/${form.slug}/role-rule`, {
        method: "PUT",
        body: {
          approveAddRoleIds: [...add],
          approveRemoveRoleIds: [...remove],
          rejectAddRoleId: rejectAdd || null,
          restoreOnRevoke: restore,
        },
      });
      toast.show("Role rule saved.", "success");
    } catch (e) {
      setError(describeApiError(e));
    } finally {
      setBusy(false);
    }
  }

  if (loadError) {
    return (
      <div className={formStyles.form}>
        <p role="alert" className={formStyles.formError}>
          {loadError}
        </p>
        <div>
          <Button onClick={() => void load()}>Try again</Button>
        </div>
      </div>
    );
  }
  if (!roles) return <Spinner label="Loading the server's roles…" />;
  const choices = roles.filter((r) => r.assignable);
  const list = (
    legend: string,
    hint: string,
    chosen: Set<string>,
    set: (s: Set<string>) => void,
    other: Set<string>,
    prefix: string,
  ) => (
    <fieldset className={formStyles.checks}>
      <legend>{legend}</legend>
      <span className={formStyles.checkHint}>{hint}</span>
      {choices.map((r) => (
        <label key={r.id} className={formStyles.check}>
          <input
            type="checkbox"
            name={`${prefix}-${r.id}`}
            checked={chosen.has(r.id)}
            disabled={other.has(r.id)}
            onChange={(e) => set(toggled(chosen, r.id, e.target.checked))}
          />
          <span>{r.name}</span>
        </label>
      ))}
    </fieldset>
  );

  return (
    <form onSubmit={save} className={formStyles.form} style={{ maxWidth: "none" }} aria-label="Role rule" noValidate>
      <div className={styles.roles}>
        {list("On approval, add", "None chosen: the approved role from the bot settings.", add, setAdd, remove, "add")}
        {list("On approval, remove", "For example an “Unverified” role.", remove, setRemove, add, "remove")}
      </div>
      <Field label="On rejection, add" hint="Optional.">
        {(p) => (
          <select {...p} className={inputClass} value={rejectAdd} onChange={(e) => setRejectAdd(e.target.value)}>
            <option value="">No role</option>
            {choices.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <label className={formStyles.check}>
        <input type="checkbox" checked={restore} onChange={(e) => setRestore(e.target.checked)} />
        <span>When an approval is revoked, give back the roles it removed</span>
      </label>
      {roles.length > choices.length ? (
        <p className={styles.muted}>
          Roles the bot cannot change (above its own role, managed, or @everyone) are not listed.
        </p>
      ) : null}
      {error ? (
        <p role="alert" className={formStyles.formError}>
          {error}
        </p>
      ) : null}
      <div className={formStyles.actions}>
        <Button type="submit" variant="primary" loading={busy}>
          Save role rule
        </Button>
      </div>
    </form>
  );
}
