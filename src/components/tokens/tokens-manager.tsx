"use client";
import { useState, type FormEvent } from "react";
import { apiFetch } from "@/components/api/client";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, Notice } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { Field, inputClass } from "@/components/ui/field";
import { Table } from "@/components/ui/table";
import { FormError } from "@/components/ui/form-error";
import { useToast } from "@/components/ui/toast";
import { useAction } from "@/components/ui/use-action";
import styles from "./tokens.module.css";
import formStyles from "@/components/dashboard/forms.module.css";
import { toggled } from "@/components/ui/toggled";

export type TokenRow = {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
};

export const SCOPE_INFO: { scope: string; label: string }[] = [
  { scope: "applications:write", label: "Submit applications" },
  { scope: "applications:read", label: "Read applications" },
  { scope: "roles:assign", label: "Assign the approved role (POST /api/discord/assign-role)" },
];

/** What a new token starts with, and returns to after each one is created (never the previous token's scopes). */
export const DEFAULT_SCOPES = ["roles:assign"] as const;
const DEFAULT_EXPIRY_DAYS = 90;

const EXPIRY = [
  { days: 30, label: "30 days" },
  { days: 90, label: "90 days" },
  { days: 365, label: "1 year" },
  { days: 0, label: "Never" },
];

type ApiToken = Omit<TokenRow, "createdAt" | "lastUsedAt" | "expiresAt" | "revokedAt"> &
  Record<"createdAt" | "lastUsedAt" | "expiresAt" | "revokedAt", string | null>;

const day = (iso: string | null) => (iso ? iso.slice(0, 10) : "—");

function tokenState(t: TokenRow, now: number): { label: string; tone: "success" | "neutral" | "danger" } {
  if (t.revokedAt) return { label: "Revoked", tone: "neutral" };
  if (t.expiresAt && Date.parse(t.expiresAt) <= now) return { label: "Expired", tone: "danger" };
  return { label: "Active", tone: "success" };
}

export function TokensManager({ slug, initial, now }: { slug: string; initial: TokenRow[]; now: number }) {
  const toast = useToast();
  const [tokens, setTokens] = useState(initial);
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<Set<string>>(new Set(DEFAULT_SCOPES));
  const [expiry, setExpiry] = useState(DEFAULT_EXPIRY_DAYS);
  const [shown, setShown] = useState<{ name: string; token: string } | null>(null);
  const [copied, setCopied] = useState(false);
  const [revoking, setRevoking] = useState<TokenRow | null>(null);
  const creating = useAction();
  const revocation = useAction();

  async function create(event: FormEvent) {
    event.preventDefault();
    const problems: Record<string, string> = {};
    if (!name.trim()) problems.name = "Give the token a name that says what uses it, e.g. “Website form”.";
    if (scopes.size === 0) problems.scopes = "Pick at least one scope: what this token may do.";
    if (Object.keys(problems).length)
      return creating.fail("Fill in the highlighted fields, then create the token.", problems);
    const body = { name: name.trim(), scopes: [...scopes], ...(expiry ? { expiresInDays: expiry } : {}) };
    const created = await creating.run(
      () => apiFetch<{ token: ApiToken & { token: string } }>(`/api/orgs/${slug}/tokens`, { method: "POST", body }),
      {
        labels: { name: "Name", scopes: "Scopes", expiresInDays: "Expires after" },
      },
    );
    if (!created) return;
    const { token: secret, ...row } = created.token;
    setTokens((all) => [row as TokenRow, ...all]);
    setShown({ name: row.name, token: secret });
    setCopied(false);
    // The next token starts from the defaults again: keeping the last scopes silently widened the next one.
    setName("");
    setScopes(new Set(DEFAULT_SCOPES));
    setExpiry(DEFAULT_EXPIRY_DAYS);
  }

  async function copy() {
    if (!shown) return;
    try {
      await navigator.clipboard.writeText(shown.token);
      setCopied(true);
    } catch {
      toast.show("Copying was blocked by the browser; select the token and copy it by hand.", "danger");
    }
  }

  async function revoke() {
    const target = revoking;
    if (!target) return;
    const result = await revocation.run(
      () => apiFetch<{ token: ApiToken }>(`/api/orgs/${slug}/tokens/${target.id}`, { method: "DELETE" }),
      {
        errorTo: "toast",
        success: `Revoked “${target.name}”. Requests using it are refused from now on.`,
      },
    );
    if (!result) return;
    setTokens((all) => all.map((t) => (t.id === result.token.id ? (result.token as TokenRow) : t)));
    setRevoking(null);
  }

  return (
    <div className={styles.layout}>
      {shown ? (
        <Notice tone="warning" title={`Copy the token for “${shown.name}” now`} role="status">
          <p>
            This is the only time it is shown. Guildgate stores only a hash; if you lose it, revoke it and create a new
            one.
          </p>
          <div className={styles.secret}>
            <code data-testid="new-token" className={styles.tokenValue}>
              {shown.token}
            </code>
            <Button size="sm" variant="primary" onClick={copy}>
              {copied ? "Copied" : "Copy"}
            </Button>
            <Button size="sm" variant="ghost" onClick={() => setShown(null)}>
              Done
            </Button>
          </div>
        </Notice>
      ) : null}
      <Card
        title="Create a token"
        description="Tokens let other services call Guildgate for this organization, limited to the scopes you pick."
      >
        <form
          onSubmit={create}
          className={formStyles.form}
          noValidate
          ref={creating.bindForm}
          aria-label="Create a token"
        >
          <Field
            label="Name"
            hint="What uses it, e.g. “Website form” or “Moderation bot”."
            error={creating.fieldErrors.name}
            limit={{ used: name.length, max: 100 }}
          >
            {(p) => (
              <input
                {...p}
                className={inputClass}
                value={name}
                onChange={(e) => setName(e.target.value)}
                maxLength={100}
                required
              />
            )}
          </Field>
          <fieldset
            className={formStyles.checks}
            aria-describedby={creating.fieldErrors.scopes ? "token-scopes-error" : undefined}
          >
            <legend>Scopes</legend>
            {SCOPE_INFO.map((s) => (
              <label key={s.scope} className={formStyles.check}>
                <input
                  type="checkbox"
                  name="scopes"
                  value={s.scope}
                  aria-invalid={creating.fieldErrors.scopes && s === SCOPE_INFO[0] ? true : undefined}
                  checked={scopes.has(s.scope)}
                  onChange={(e) => setScopes((all) => toggled(all, s.scope, e.target.checked))}
                />
                <span>
                  <code>{s.scope}</code> <span className={formStyles.checkHint}>{s.label}</span>
                </span>
              </label>
            ))}
            {creating.fieldErrors.scopes ? (
              <p id="token-scopes-error" className={formStyles.formError}>
                {creating.fieldErrors.scopes}
              </p>
            ) : null}
          </fieldset>
          <Field label="Expires after" error={creating.fieldErrors.expiresInDays}>
            {(p) => (
              <select {...p} className={inputClass} value={expiry} onChange={(e) => setExpiry(Number(e.target.value))}>
                {EXPIRY.map((x) => (
                  <option key={x.days} value={x.days}>
                    {x.label}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <FormError message={creating.error} />
          <div className={formStyles.actions}>
            <Button type="submit" variant="primary" loading={creating.pending}>
              Create token
            </Button>
          </div>
        </form>
      </Card>
      {tokens.length === 0 ? (
        <EmptyState title="No API tokens">
          Create one above to let another service submit applications or assign roles.
        </EmptyState>
      ) : (
        <Table caption="API tokens" cards>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Token</th>
              <th scope="col">Scopes</th>
              <th scope="col">Created</th>
              <th scope="col">Last used</th>
              <th scope="col">Expires</th>
              <th scope="col">Status</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {tokens.map((t) => {
              const state = tokenState(t, now);
              return (
                <tr key={t.id}>
                  <td className={styles.name}>{t.name}</td>
                  <td data-label="Token">
                    <code className={styles.prefix}>{t.prefix}…</code>
                  </td>
                  <td data-label="Scopes">
                    <div className={styles.scopes}>
                      {t.scopes.map((s) => (
                        <code key={s} className={styles.scope}>
                          {s}
                        </code>
                      ))}
                    </div>
                  </td>
                  <td data-label="Created" className={styles.nowrap}>
                    {day(t.createdAt)}
                  </td>
                  <td data-label="Last used" className={styles.nowrap}>
                    {t.lastUsedAt ? day(t.lastUsedAt) : "Never"}
                  </td>
                  <td data-label="Expires" className={styles.nowrap}>
                    {t.expiresAt ? day(t.expiresAt) : "Never"}
                  </td>
                  <td data-label="Status">
                    <Badge tone={state.tone}>{state.label}</Badge>
                  </td>
                  <td className={styles.actions}>
                    {t.revokedAt ? null : (
                      <Button size="sm" variant="danger" onClick={() => setRevoking(t)} aria-label={`Revoke ${t.name}`}>
                        Revoke
                      </Button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </Table>
      )}
      <ConfirmDialog
        open={revoking !== null}
        title={`Revoke “${revoking?.name ?? ""}”?`}
        confirmLabel="Revoke token"
        busy={revocation.pending}
        onConfirm={() => void revoke()}
        onCancel={() => setRevoking(null)}
      >
        <p>Every request using this token is refused from now on. This cannot be undone.</p>
      </ConfirmDialog>
    </div>
  );
}
