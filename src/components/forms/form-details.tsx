"use client";
// A form's name, description and whether it takes applications.
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { apiFetch, describeApiError } from "@/components/api/client";
import { Button } from "@/components/ui/button";
import { Field, inputClass } from "@/components/ui/field";
import { useToast } from "@/components/ui/toast";
import formStyles from "@/components/dashboard/forms.module.css";
import { formsApi, type FormView } from "./types";

export function FormDetails({ slug, form }: { slug: string; form: FormView }) {
  const router = useRouter();
  const toast = useToast();
  const [name, setName] = useState(form.name);
  const [description, setDescription] = useState(form.description);
  const [minAge, setMinAge] = useState(form.requirements?.minAccountAgeDays?.toString() ?? "");
  const [cooldown, setCooldown] = useState(form.requirements?.rejectCooldownDays?.toString() ?? "");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const url = `${formsApi(slug)}/${form.slug}`;

  async function patch(body: Record<string, unknown>, message: string) {
    setBusy(true);
    setError(null);
    try {
      await apiFetch(url, { method: "PATCH", body });
      toast.show(message, "success");
      router.refresh();
    } catch (e) {
      setError(describeApiError(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      className={formStyles.form}
      aria-label="Form details"
      noValidate
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        const days = (v: string) => (v.trim() === "" ? null : Math.max(0, Math.trunc(Number(v) || 0)));
        void patch(
          {
            name: name.trim(),
            description: description.trim(),
            minAccountAgeDays: days(minAge),
            rejectCooldownDays: days(cooldown),
          },
          "Form saved.",
        );
      }}
    >
      <Field label="Name">
        {(p) => (
          <input {...p} className={inputClass} value={name} maxLength={100} onChange={(e) => setName(e.target.value)} />
        )}
      </Field>
      <Field label="Description" hint="Shown above the questions.">
        {(p) => (
          <textarea
            {...p}
            className={inputClass}
            rows={3}
            value={description}
            maxLength={1000}
            onChange={(e) => setDescription(e.target.value)}
          />
        )}
      </Field>
      <InheritableDaysField
        label="Minimum account age (days)"
        hint="Empty: the organization's default (Settings → Applicants). Younger Discord accounts are told before they fill in the form."
        max={3650}
        value={minAge}
        onChange={setMinAge}
      />
      <InheritableDaysField
        label="Cooldown after a rejection (days)"
        hint="Empty: the organization's default."
        max={365}
        value={cooldown}
        onChange={setCooldown}
      />
      {error ? (
        <p role="alert" className={formStyles.formError}>
          {error}
        </p>
      ) : null}
      <div className={formStyles.actions}>
        <Button type="submit" variant="primary" loading={busy} disabled={!name.trim()}>
          Save
        </Button>
        <Button
          onClick={() =>
            void patch({ isOpen: !form.isOpen }, form.isOpen ? "The form is closed." : "The form is open.")
          }
          disabled={busy}
        >
          {form.isOpen ? "Close the form" : "Open the form"}
        </Button>
        <span>{form.isOpen ? "Open: takes applications." : "Closed: takes no applications."}</span>
      </div>
    </form>
  );
}

/** A number of days that may be left empty: empty inherits the organization's default, which 0 would not. */
function InheritableDaysField(props: {
  label: string;
  hint: string;
  max: number;
  value: string;
  onChange: (value: string) => void;
}) {
  return (
    <Field label={props.label} hint={props.hint}>
      {(p) => (
        <input
          {...p}
          className={inputClass}
          type="number"
          min={0}
          max={props.max}
          value={props.value}
          onChange={(e) => props.onChange(e.target.value)}
        />
      )}
    </Field>
  );
}
