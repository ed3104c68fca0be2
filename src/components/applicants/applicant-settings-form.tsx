"use client";
// Length (past ~300 lines): one form, saved in one request; its sections share the draft and its validation.
// Settings → Applicants: rejection reasons, the decision messages (templates with a live preview), the log channel,
// the invite link, and who may apply (defaults every form inherits unless it sets its own).
import { useRouter } from "next/navigation";
import { useEffect, useState, type FormEvent } from "react";
import { apiFetch } from "@/components/api/client";
import { Button } from "@/components/ui/button";
import { Field, inputClass } from "@/components/ui/field";
import { useAction } from "@/components/ui/use-action";
import formStyles from "@/components/dashboard/forms.module.css";
import { DEFAULT_TEMPLATES, TEMPLATE_MAX, type DecisionEvent } from "@/lib/notifications/templates";
import { TemplatePreview } from "./template-preview";
import styles from "./applicants.module.css";

export type ApplicantSettingsValue = {
  rejectReasonRequired: boolean;
  dmOnApprove: boolean;
  dmOnReject: boolean;
  dmOnRevoke: boolean;
  approveTemplate: string | null;
  rejectTemplate: string | null;
  revokeTemplate: string | null;
  logChannelId: string | null;
  inviteUrl: string | null;
  minAccountAgeDays: number;
  rejectCooldownDays: number;
  blockedUserIds: string[];
};

type Channel = { id: string; name: string };

const LABELS = {
  approveTemplate: "Approval message",
  rejectTemplate: "Rejection message",
  revokeTemplate: "Revocation message",
  inviteUrl: "Invite link",
  logChannelId: "Log channel",
  minAccountAgeDays: "Minimum account age",
  rejectCooldownDays: "Cooldown after a rejection",
  blockedUserIds: "Blocked Discord ids",
};

export type ApplicantSettingsFormProps = {
  slug: string;
  server: string;
  connected: boolean;
  initial: ApplicantSettingsValue;
};

export function ApplicantSettingsForm({ slug, server, connected, initial }: ApplicantSettingsFormProps) {
  const router = useRouter();
  const action = useAction();
  const [v, setV] = useState({
    ...initial,
    approveTemplate: initial.approveTemplate ?? "",
    rejectTemplate: initial.rejectTemplate ?? "",
    revokeTemplate: initial.revokeTemplate ?? "",
    inviteUrl: initial.inviteUrl ?? "",
    blocked: initial.blockedUserIds.join("\n"),
  });
  const [channels, setChannels] = useState<Channel[] | null>(null);
  const [channelError, setChannelError] = useState<string | null>(null);
  const [inviteChannel, setInviteChannel] = useState("");
  const invite = useAction();
  const set = <K extends keyof typeof v>(key: K, value: (typeof v)[K]) => setV((old) => ({ ...old, [key]: value }));

  useEffect(() => {
    if (!connected) return;
    apiFetch<{ channels: Channel[] }>(`/api/orgs/${encodeURIComponent(slug)}/applicant-settings/channels`)
      .then((r) => setChannels(r.channels))
      .catch(() => setChannelError("The server's channels could not be read; try again in a minute."));
  }, [slug, connected]);

  function submit(e: FormEvent) {
    e.preventDefault();
    const blockedUserIds = v.blocked
      .split(/[\s,]+/)
      .map((s) => s.trim())
      .filter(Boolean);
    void action.run(
      async () => {
        await apiFetch(`/api/orgs/${encodeURIComponent(slug)}/applicant-settings`, {
          method: "PUT",
          body: {
            rejectReasonRequired: v.rejectReasonRequired,
            dmOnApprove: v.dmOnApprove,
            dmOnReject: v.dmOnReject,
            dmOnRevoke: v.dmOnRevoke,
            approveTemplate: v.approveTemplate,
            rejectTemplate: v.rejectTemplate,
            revokeTemplate: v.revokeTemplate,
            logChannelId: v.logChannelId || null,
            inviteUrl: v.inviteUrl.trim() || null,
            minAccountAgeDays: v.minAccountAgeDays,
            rejectCooldownDays: v.rejectCooldownDays,
            blockedUserIds,
          },
        });
        router.refresh();
      },
      { success: "Applicant settings saved.", labels: LABELS },
    );
  }

  const err = (path: string) => action.fieldErrors[path] ?? null;
  return (
    <form
      className={formStyles.form}
      aria-label="Applicant settings"
      noValidate
      onSubmit={submit}
      ref={action.bindForm}
    >
      <fieldset className={styles.checks}>
        <legend>Decisions</legend>
        <label className={styles.check}>
          <input
            type="checkbox"
            checked={v.rejectReasonRequired}
            onChange={(e) => set("rejectReasonRequired", e.target.checked)}
          />
          Require a reason with every rejection (the applicant reads it)
        </label>
        <label className={styles.check}>
          <input type="checkbox" checked={v.dmOnApprove} onChange={(e) => set("dmOnApprove", e.target.checked)} />
          Send the applicant a direct message when approved
        </label>
        <label className={styles.check}>
          <input type="checkbox" checked={v.dmOnReject} onChange={(e) => set("dmOnReject", e.target.checked)} />
          Send the applicant a direct message when rejected
        </label>
        <label className={styles.check}>
          <input type="checkbox" checked={v.dmOnRevoke} onChange={(e) => set("dmOnRevoke", e.target.checked)} />
          Send the applicant a direct message when an approval is revoked
        </label>
      </fieldset>
      <div className={styles.grid}>
        <TemplateField
          event="approved"
          label={LABELS.approveTemplate}
          hint="Sent once the role is assigned. Plain text. Placeholders: {applicant}, {server}, {form}. Empty: the default message. Mentions are sent as text and ping nobody."
          error={err("approveTemplate")}
          value={v.approveTemplate}
          onChange={(value) => set("approveTemplate", value)}
          server={server}
        />
        <TemplateField
          event="rejected"
          label={LABELS.rejectTemplate}
          hint="Placeholders: {applicant}, {server}, {form}, {reason} (the reviewer's reason, or “No reason was given.”)."
          error={err("rejectTemplate")}
          value={v.rejectTemplate}
          onChange={(value) => set("rejectTemplate", value)}
          server={server}
        />
        <TemplateField
          event="revoked"
          label={LABELS.revokeTemplate}
          hint="Placeholders: {applicant}, {server}, {form}, {reason} (the reason given with the revocation)."
          error={err("revokeTemplate")}
          value={v.revokeTemplate}
          onChange={(value) => set("revokeTemplate", value)}
          server={server}
        />
        <Field
          label={LABELS.logChannelId}
          hint={channelError ?? "Decisions are also posted there (the bot needs View Channel and Send Messages)."}
          error={err("logChannelId")}
        >
          {(p) => (
            <select
              {...p}
              className={inputClass}
              value={v.logChannelId ?? ""}
              onChange={(e) => set("logChannelId", e.target.value || null)}
              disabled={!connected}
            >
              <option value="">None</option>
              {v.logChannelId && !channels?.some((c) => c.id === v.logChannelId) ? (
                <option value={v.logChannelId}>Channel {v.logChannelId}</option>
              ) : null}
              {(channels ?? []).map((c) => (
                <option key={c.id} value={c.id}>
                  #{c.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field
          label={LABELS.inviteUrl}
          hint="Shown to approved applicants who have not joined the server yet, e.g. https://discord.gg/abc123."
          error={err("inviteUrl")}
        >
          {(p) => (
            <input
              {...p}
              className={inputClass}
              type="url"
              inputMode="url"
              value={v.inviteUrl}
              onChange={(e) => set("inviteUrl", e.target.value)}
            />
          )}
        </Field>
        {connected ? (
          <div className={styles.inviteRow}>
            <Field label="Or let the bot create one for" hint="A link that never expires, to the channel you pick.">
              {(p) => (
                <select
                  {...p}
                  className={inputClass}
                  value={inviteChannel}
                  onChange={(e) => setInviteChannel(e.target.value)}
                >
                  <option value="">Pick a channel</option>
                  {(channels ?? []).map((c) => (
                    <option key={c.id} value={c.id}>
                      #{c.name}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Button
              disabled={!inviteChannel}
              loading={invite.pending}
              onClick={() =>
                void invite.run(
                  async () => {
                    const { settings } = await apiFetch<{ settings: ApplicantSettingsValue }>(
                      `/api/orgs/${encodeURIComponent(slug)}/applicant-settings/invite`,
                      { method: "POST", body: { channelId: inviteChannel } },
                    );
                    set("inviteUrl", settings.inviteUrl ?? "");
                    router.refresh();
                  },
                  { success: "The bot created the invite link.", errorTo: "toast" },
                )
              }
            >
              Create invite with the bot
            </Button>
          </div>
        ) : null}
        <DaysField
          label={`${LABELS.minAccountAgeDays} (days)`}
          hint="Discord accounts younger than this are told so before they fill in a form. 0: no minimum. A form may set its own."
          error={err("minAccountAgeDays")}
          max={3650}
          value={v.minAccountAgeDays}
          onChange={(days) => set("minAccountAgeDays", days)}
        />
        <DaysField
          label={`${LABELS.rejectCooldownDays} (days)`}
          hint="How long a rejected applicant waits before applying to the same form again. 0: no wait."
          error={err("rejectCooldownDays")}
          max={365}
          value={v.rejectCooldownDays}
          onChange={(days) => set("rejectCooldownDays", days)}
        />
        <Field
          label={LABELS.blockedUserIds}
          hint="One Discord user id per line. They are told they may not apply, on every form."
          error={err("blockedUserIds")}
        >
          {(p) => (
            <textarea
              {...p}
              className={inputClass}
              rows={3}
              value={v.blocked}
              onChange={(e) => set("blocked", e.target.value)}
            />
          )}
        </Field>
      </div>
      {action.error ? (
        <p role="alert" className={formStyles.formError} data-form-error>
          {action.error}
        </p>
      ) : null}
      <div className={formStyles.actions}>
        <Button type="submit" variant="primary" loading={action.pending}>
          Save
        </Button>
      </div>
    </form>
  );
}

type TemplateFieldProps = {
  event: DecisionEvent;
  label: string;
  hint: string;
  error: string | null;
  value: string;
  onChange: (value: string) => void;
  server: string;
};

/** One decision message's template, with the default as its placeholder and the live preview below. */
function TemplateField({ event, label, hint, error, value, onChange, server }: TemplateFieldProps) {
  return (
    <>
      <Field label={label} hint={hint} error={error} limit={{ used: value.length, max: TEMPLATE_MAX }}>
        {(p) => (
          <textarea
            {...p}
            className={inputClass}
            rows={3}
            maxLength={TEMPLATE_MAX}
            placeholder={DEFAULT_TEMPLATES[event]}
            value={value}
            onChange={(e) => onChange(e.target.value)}
          />
        )}
      </Field>
      <TemplatePreview template={value} event={event} server={server} />
    </>
  );
}

type DaysFieldProps = {
  label: string;
  hint: string;
  error: string | null;
  max: number;
  value: number;
  onChange: (days: number) => void;
};

/** A whole number of days, 0 or more (what is typed is truncated, never negative). */
function DaysField({ label, hint, error, max, value, onChange }: DaysFieldProps) {
  return (
    <Field label={label} hint={hint} error={error}>
      {(p) => (
        <input
          {...p}
          className={inputClass}
          type="number"
          min={0}
          max={max}
          value={value}
          onChange={(e) => onChange(Math.max(0, Math.trunc(Number(e.target.value) || 0)))}
        />
      )}
    </Field>
  );
}
