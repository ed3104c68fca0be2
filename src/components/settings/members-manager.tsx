"use client";
// Length (past ~300 lines): the list, the add form with its guild search and the role changes share one state.
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { apiFetch } from "@/components/api/client";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/dialog";
import { Field, inputClass } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { Table } from "@/components/ui/table";
import { useAction } from "@/components/ui/use-action";
import formStyles from "@/components/dashboard/forms.module.css";
import styles from "./settings.module.css";

export type MemberRow = {
  userId: string;
  discordUserId: string;
  name: string;
  role: "OWNER" | "ADMIN" | "REVIEWER";
  since: string;
};

const ROLES = [
  { value: "OWNER", label: "Owner", hint: "everything, including owners" },
  { value: "ADMIN", label: "Admin", hint: "bot, members, tokens, questions, reviews" },
  { value: "REVIEWER", label: "Reviewer", hint: "reviews applications" },
] as const;

// The same shape the server checks (src/lib/discord/ids.ts), so the usual mistakes are explained before sending.
const DISCORD_ID = /^[1-9][0-9]{16,19}$/;

export const DISCORD_ID_HELP =
  "A Discord user id is 17 to 20 digits. In Discord, turn on User Settings > Advanced > Developer Mode, then right-click the person and choose Copy User ID.";

/** What is wrong with a typed Discord user id, in words; null when it looks right. */
export function discordIdProblem(value: string): string | null {
  const v = value.trim();
  if (!v) return "Enter the Discord user id of the person to add. " + DISCORD_ID_HELP.split(". ")[1];
  if (/^\D/.test(v) && !/^\d/.test(v)) return "That looks like a name; Guildgate needs the number. " + DISCORD_ID_HELP;
  if (!DISCORD_ID.test(v)) return DISCORD_ID_HELP;
  return null;
}

export type MembersManagerProps = {
  slug: string;
  initial: MemberRow[];
  currentUserId: string;
  canManageOwners: boolean;
  organizationName?: string;
  /** A bot is connected, so people in the server can be found by name instead of typing an id. */
  canPick?: boolean;
};

type Candidate = { discordUserId: string; name: string; username: string };

/** Team members by Discord user id; the server enforces owner-only changes and keeps the last owner. */
export function MembersManager({
  slug,
  initial,
  currentUserId,
  canManageOwners,
  organizationName,
  canPick = false,
}: MembersManagerProps) {
  const router = useRouter();
  const [members, setMembers] = useState(initial);
  const [discordUserId, setDiscordUserId] = useState("");
  const [role, setRole] = useState<MemberRow["role"]>("REVIEWER");
  const [removing, setRemoving] = useState<MemberRow | null>(null);
  const adding = useAction();
  const finding = useAction();
  const [search, setSearch] = useState("");
  const [candidates, setCandidates] = useState<Candidate[] | null>(null);
  const changing = useAction();
  const url = `/api/orgs/${slug}/members`;
  const owners = members.filter((m) => m.role === "OWNER").length;

  async function reload() {
    const { members: list } = await apiFetch<{ members: MemberRow[] }>(url);
    setMembers(list);
  }

  async function add(event: FormEvent) {
    event.preventDefault();
    const problem = discordIdProblem(discordUserId);
    if (problem) return adding.fail(problem, { discordUserId: problem });
    const done = await adding.run(
      async () => {
        await apiFetch(url, { method: "POST", body: { discordUserId: discordUserId.trim(), role } });
        await reload();
        return true;
      },
      {
        success: "Member added. They can sign in with Discord now.",
        labels: { discordUserId: "Discord user id", role: "Role" },
      },
    );
    if (done) setDiscordUserId("");
  }

  async function find(event: FormEvent) {
    event.preventDefault();
    if (!search.trim())
      return finding.fail("Type the start of a name, e.g. “ale” for Alex.", {
        search: "Type the start of a name, e.g. “ale” for Alex.",
      });
    const found = await finding.run(() =>
      apiFetch<{ candidates: Candidate[] }>(`${url}/candidates?query=${encodeURIComponent(search.trim())}`),
    );
    if (found) setCandidates(found.candidates.filter((c) => !members.some((m) => m.discordUserId === c.discordUserId)));
  }

  function pick(candidate: Candidate) {
    setDiscordUserId(candidate.discordUserId);
    setCandidates(null);
    adding.reset();
    // Next step: the role (the id is filled in).
    adding.formElement()?.querySelector("select")?.focus();
  }

  async function change(member: MemberRow, next: MemberRow["role"]) {
    const done = await changing.run(
      () => apiFetch(url, { method: "PATCH", body: { discordUserId: member.discordUserId, role: next } }),
      {
        errorTo: "toast",
        success: `${member.name} is now ${ROLES.find((r) => r.value === next)?.label.toLowerCase() ?? next}.`,
      },
    );
    // On failure the select shows the role the server still has.
    await reload().catch(() => {});
    if (done !== undefined && member.userId === currentUserId) router.refresh();
  }

  async function remove() {
    const target = removing;
    if (!target) return;
    const self = target.userId === currentUserId;
    const done = await changing.run(
      () => apiFetch(`${url}?discordUserId=${encodeURIComponent(target.discordUserId)}`, { method: "DELETE" }),
      {
        errorTo: "toast",
        success: self ? "You left the organization." : `${target.name} was removed.`,
      },
    );
    setRemoving(null);
    if (done === undefined) return;
    if (self) router.push("/dashboard");
    else setMembers((all) => all.filter((m) => m.userId !== target.userId));
  }

  const roleOptions = ROLES.filter((r) => canManageOwners || r.value !== "OWNER");
  const removingSelf = removing?.userId === currentUserId;
  return (
    <div className={styles.stack}>
      <Table caption="Members" captionHidden cards>
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
            const lastOwner = m.role === "OWNER" && owners <= 1;
            const locked = (m.role === "OWNER" && !canManageOwners) || lastOwner;
            const self = m.userId === currentUserId;
            return (
              <tr key={m.userId}>
                <td className={styles.memberName}>
                  {m.name}
                  {self ? <span className={styles.you}> (you)</span> : null}
                </td>
                <td data-label="Discord id">
                  <code className={styles.nowrap}>{m.discordUserId}</code>
                </td>
                <td data-label="Role">
                  {locked ? (
                    <span className={styles.fixedRole}>
                      {ROLES.find((r) => r.value === m.role)?.label}
                      {lastOwner ? (
                        <span className={styles.muted}>
                          {" "}
                          · the only owner: make someone else an owner before changing this
                        </span>
                      ) : null}
                    </span>
                  ) : (
                    <select
                      className={inputClass}
                      aria-label={`Role of ${m.name}`}
                      value={m.role}
                      disabled={changing.pending}
                      onChange={(e) => void change(m, e.target.value as MemberRow["role"])}
                    >
                      {roleOptions.map((r) => (
                        <option key={r.value} value={r.value}>
                          {r.label}
                        </option>
                      ))}
                    </select>
                  )}
                </td>
                <td className={styles.memberActions}>
                  {locked ? null : (
                    <Button
                      size="sm"
                      variant="ghost"
                      onClick={() => setRemoving(m)}
                      aria-label={self ? "Leave this organization" : `Remove ${m.name}`}
                    >
                      {self ? "Leave" : "Remove"}
                    </Button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </Table>
      {canPick ? (
        <form
          onSubmit={find}
          className={formStyles.row}
          noValidate
          ref={finding.bindForm}
          aria-label="Search your server's members"
        >
          <Field
            label="Find someone in your server"
            hint="The start of their name or nickname; pick them to fill in their id."
            error={finding.fieldErrors.search ?? finding.error}
          >
            {(p) => (
              <input
                {...p}
                type="search"
                className={inputClass}
                value={search}
                onChange={(e) => setSearch(e.target.value)}
                maxLength={32}
                autoComplete="off"
              />
            )}
          </Field>
          <div>
            <Button type="submit" loading={finding.pending}>
              Search
            </Button>
          </div>
        </form>
      ) : null}
      {candidates ? (
        candidates.length ? (
          <ul className={styles.candidates} aria-label="People found in your server">
            {candidates.map((c) => (
              <li key={c.discordUserId}>
                <Button size="sm" variant="ghost" onClick={() => pick(c)}>
                  {c.name} <span className={styles.muted}>@{c.username}</span>
                </Button>
              </li>
            ))}
          </ul>
        ) : (
          <p className={styles.muted} role="status">
            Nobody in your server who is not a member yet has a name starting with “{search.trim()}”.
          </p>
        )
      ) : null}
      <form onSubmit={add} className={formStyles.row} noValidate ref={adding.bindForm} aria-label="Add a member">
        <Field
          label="Discord user id"
          error={adding.fieldErrors.discordUserId}
          hint="Developer Mode > right-click the person > Copy User ID."
        >
          {(p) => (
            <input
              {...p}
              className={inputClass}
              value={discordUserId}
              onChange={(e) => setDiscordUserId(e.target.value)}
              inputMode="numeric"
              autoComplete="off"
              placeholder="80351110224678912"
            />
          )}
        </Field>
        <Field label="Role" error={adding.fieldErrors.role}>
          {(p) => (
            <select
              {...p}
              className={inputClass}
              value={role}
              onChange={(e) => setRole(e.target.value as MemberRow["role"])}
            >
              {roleOptions.map((r) => (
                <option key={r.value} value={r.value}>
                  {r.label} – {r.hint}
                </option>
              ))}
            </select>
          )}
        </Field>
        <div>
          <Button type="submit" variant="primary" loading={adding.pending}>
            Add member
          </Button>
        </div>
      </form>
      {adding.error && !adding.fieldErrors.discordUserId ? <FormError message={adding.error} /> : null}
      <ConfirmDialog
        open={removing !== null}
        title={removingSelf ? `Leave ${organizationName ?? "this organization"}?` : `Remove ${removing?.name ?? ""}?`}
        confirmLabel={removingSelf ? "Leave" : "Remove member"}
        busy={changing.pending}
        onConfirm={() => void remove()}
        onCancel={() => setRemoving(null)}
      >
        <p>
          {removingSelf
            ? "You lose access to this organization's dashboard at once, and only an owner or admin can add you again."
            : `${removing?.name ?? "They"} loses access to this organization's dashboard at once. You can add them again later.`}
        </p>
      </ConfirmDialog>
    </div>
  );
}
