"use client";
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useState, type FormEvent } from "react";
import { apiFetch, describeApiError } from "@/components/api/client";
import { Button } from "@/components/ui/button";
import { Field, inputClass } from "@/components/ui/field";
import { LoadState } from "@/components/ui/load-state";
import { FormError } from "@/components/ui/form-error";
import { useAction } from "@/components/ui/use-action";
import formStyles from "@/components/dashboard/forms.module.css";
import { toggled } from "@/components/ui/toggled";

type RoleOption = {
  id: string;
  name: string;
  assignable: boolean;
  reason?: string;
  dangerousPermissions?: string[];
  /** Present for a dangerous role nothing else blocks: whether an owner allowed it. */
  dangerousAllowed?: boolean;
};
type Settings = { approvedRoleId: string | null; assignableRoleIds: string[]; roles: RoleOption[] };

/** "ManageGuild" reads "Manage Guild". */
const words = (permission: string) => permission.replace(/([a-z])([A-Z])/g, "$1 $2");

/**
 * The approved role and the extra roles the assign-role API may grant, picked from the server's roles. Roles with
 * dangerous permissions are offered only once an owner allows them here (the server checks and audits that too).
 */
export function RolesForm({ slug, isOwner }: { slug: string; isOwner: boolean }) {
  const router = useRouter();
  const action = useAction();
  const [settings, setSettings] = useState<Settings | null>(null);
  const [approved, setApproved] = useState("");
  const [extra, setExtra] = useState<Set<string>>(new Set());
  const [allowed, setAllowed] = useState<Set<string>>(new Set());
  const [loadError, setLoadError] = useState<string | null>(null);
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
          setAllowed(new Set(s.roles.filter((r) => r.dangerousAllowed).map((r) => r.id)));
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

  /** Assignable now, counting the owner's unsaved allowances. */
  const canGive = (r: RoleOption) => (r.dangerousAllowed === undefined ? r.assignable : allowed.has(r.id));

  async function save(event: FormEvent) {
    event.preventDefault();
    const assignableRoleIds = [...extra].filter((id) => id !== approved);
    const chosen = new Set([approved, ...assignableRoleIds]);
    const saved = await action.run(
      () =>
        apiFetch(url, {
          method: "PUT",
          body: {
            approvedRoleId: approved,
            assignableRoleIds,
            // Only an owner changes allowances; others leave the current ones as they are.
            ...(isOwner ? { allowDangerousRoleIds: [...allowed].filter((id) => chosen.has(id)) } : {}),
          },
        }),
      { success: "Roles saved." },
    );
    if (saved !== undefined) router.refresh();
  }

  if (!settings) return <LoadState error={loadError} onRetry={load} loading="Loading the server's roles…" />;
  const label = (r: RoleOption) => (canGive(r) ? r.name : `${r.name} (${r.reason})`);
  const dangerous = settings.roles.filter((r) => r.dangerousAllowed !== undefined);
  return (
    <form onSubmit={save} className={formStyles.form} noValidate ref={action.bindForm}>
      <Field
        label="Approved role"
        hint="Given to every approved applicant. Only roles below the bot's own role can be given."
      >
        {(p) => (
          <select {...p} className={inputClass} value={approved} onChange={(e) => setApproved(e.target.value)}>
            {approved ? null : <option value="">Pick a role</option>}
            {settings.roles.map((r) => (
              <option key={r.id} value={r.id} disabled={!canGive(r)}>
                {label(r)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <fieldset className={formStyles.checks}>
        <legend>Also assignable through the API</legend>
        {settings.roles
          .filter((r) => canGive(r) && r.id !== approved)
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
      {dangerous.length ? (
        <fieldset className={formStyles.checks}>
          <legend>Roles with dangerous permissions</legend>
          {dangerous.map((r) => (
            <label key={r.id} className={formStyles.check}>
              <input
                type="checkbox"
                disabled={!isOwner}
                checked={allowed.has(r.id)}
                onChange={(e) => setAllowed((all) => toggled(all, r.id, e.target.checked))}
              />
              <span>
                Allow “{r.name}” ({(r.dangerousPermissions ?? []).map(words).join(", ")})
              </span>
            </label>
          ))}
          <span className={formStyles.checkHint}>
            {isOwner
              ? "Whoever gets such a role can take over or damage the server. Allow one only if approvals or the API must give it; the change is recorded in the activity log."
              : "Whoever gets such a role can take over or damage the server, so only an owner can allow one."}
          </span>
        </fieldset>
      ) : null}
      <FormError message={action.error} />
      <div className={formStyles.actions}>
        <Button type="submit" variant="primary" loading={action.pending} disabled={!approved}>
          Save roles
        </Button>
      </div>
    </form>
  );
}
