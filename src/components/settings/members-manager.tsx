"use client";
import { useState, type FormEvent } from "react";
import { apiFetch, describeApiError } from "@/components/api/client";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/dialog";
import { Field, inputClass } from "@/components/ui/field";
import { Table } from "@/components/ui/table";
import { useToast } from "@/components/ui/toast";
import formStyles from "@/components/dashboard/forms.module.css";
import styles from "./settings.module.css";

export type MemberRow = { userId: string; discordUserId: string; name: string; role: "OWNER" | "ADMIN" | "REVIEWER"; since: string };

const ROLES = [
  { value: "OWNER", label: "Owner", hint: "everything, including owners" },
  { value: "ADMIN", label: "Admin", hint: "bot, members, tokens, questions, reviews" },
  { value: "REVIEWER", label: "Reviewer", hint: "reviews applications" },
] as const;

/** Team members by Discord user id; the server enforces owner-only changes and keeps the last owner. */
export function MembersManager({ slug, initial, currentUserId, canManageOwners }: { slug: string; initial: MemberRow[]; currentUserId: string; canManageOwners: boolean }) {
  const toast = useToast();
  const [members, setMembers] = useState(initial);
  const [discordUserId, setDiscordUserId] = useState("");
  const [role, setRole] = useState<MemberRow["role"]>("REVIEWER");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [removing, setRemoving] = useState<MemberRow | null>(null);
  const url = `/api/orgs/${slug}/members`;

  async function reload() {
    const { members: list } = await apiFetch<{ members: MemberRow[] }>(url);
    setMembers(list);
  }

  async function add(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await apiFetch(url, { method: "POST", body: { discordUserId: discordUserId.trim(), role } });
      setDiscordUserId("");
      await reload();
      toast.show("Member added.", "success");
    } catch (e) {
      setError(describeApiError(e));
    } finally {
      setBusy(false);
    }
  }

  async function change(member: MemberRow, next: MemberRow["role"]) {
    try {
      await apiFetch(url, { method: "PATCH", body: { discordUserId: member.discordUserId, role: next } });
      await reload();
      toast.show(`${member.name} is now ${next.toLowerCase()}.`, "success");
    } catch (e) {
      toast.show(describeApiError(e), "danger");
      await reload().catch(() => {});
    }
  }

  async function remove() {
    if (!removing) return;
    try {
      await apiFetch(`${url}?discordUserId=${encodeURIComponent(removing.discordUserId)}`, { method: "DELETE" });
      setMembers((all) => all.filter((m) => m.userId !== removing.userId));
      toast.show(`${removing.name} was removed.`, "success");
    } catch (e) {
      toast.show(describeApiError(e), "danger");
    } finally {
      setRemoving(null);
    }
  }

  const roleOptions = ROLES.filter((r) => canManageOwners || r.value !== "OWNER");
  return (
    <div className={styles.stack}>
      <Table caption="Members" captionHidden>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Discord id</th>
            <th scope="col">Role</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {members.map((m) => {
            const locked = m.role === "OWNER" && !canManageOwners;
            return (
              <tr key={m.userId}>
                <td>
                  {m.name}
                  {m.userId === currentUserId ? <span className={styles.you}> (you)</span> : null}
                </td>
                <td>
                  <code>{m.discordUserId}</code>
                </td>
                <td>
                  <select
                    className={inputClass}
                    aria-label={`Role of ${m.name}`}
                    value={m.role}
                    disabled={locked}
                    onChange={(e) => void change(m, e.target.value as MemberRow["role"])}
                  >
                    {(locked ? ROLES : roleOptions).map((r) => (
                      <option key={r.value} value={r.value}>
                        {r.label}
                      </option>
                    ))}
                  </select>
                </td>
                <td>
                  {locked ? null : (
                    <Button size="sm" variant="ghost" onClick={() => setRemoving(m)} aria-label={`Remove ${m.name}`}>
                      Remove
                    </Button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </Table>
      <form onSubmit={add} className={formStyles.row} noValidate>
        <Field label="Discord user id">
          {(p) => <input {...p} className={inputClass} value={discordUserId} onChange={(e) => setDiscordUserId(e.target.value)} inputMode="numeric" placeholder="80351110224678912" />}
        </Field>
        <Field label="Role">
          {(p) => (
            <select {...p} className={inputClass} value={role} onChange={(e) => setRole(e.target.value as MemberRow["role"])}>
              {roleOptions.map((r) => (
                <option key={r.value} value={r.value}>
                  {r.label} – {r.hint}
                </option>
              ))}
            </select>
          )}
        </Field>
        <div>
          <Button type="submit" variant="primary" loading={busy} disabled={!discordUserId.trim()}>
            Add member
          </Button>
        </div>
      </form>
      <p className={styles.muted}>To find a Discord user id: User Settings &gt; Advanced &gt; Developer Mode, then right-click the user &gt; Copy User ID.</p>
      {error ? (
        <p role="alert" className={formStyles.formError}>
          {error}
        </p>
      ) : null}
      <ConfirmDialog open={removing !== null} title={`Remove ${removing?.name ?? ""}?`} confirmLabel="Remove member" onConfirm={() => void remove()} onCancel={() => setRemoving(null)}>
        <p>They lose access to this organization&apos;s dashboard at once.</p>
      </ConfirmDialog>
    </div>
  );
}
