"use client";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { apiFetch } from "@/components/api/client";
import { Button } from "@/components/ui/button";
import { Field, inputClass } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { useAction } from "@/components/ui/use-action";
import styles from "./forms.module.css";

type Created = { organization: { slug: string } };

const LABELS = { name: "Organization name", slug: "URL name" };

export function CreateOrganizationForm() {
  const router = useRouter();
  const action = useAction();
  const [name, setName] = useState("");
  const [slug, setSlug] = useState("");
  // Stays true after success while the next page loads, so the button cannot create a second organization.
  const [leaving, setLeaving] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const body = { name: name.trim(), ...(slug.trim() ? { slug: slug.trim() } : {}) };
    const created = await action.run(() => apiFetch<Created>("/api/orgs", { method: "POST", body }), {
      labels: LABELS,
    });
    if (!created) return;
    setLeaving(true);
    router.push(`/dashboard/${created.organization.slug}/settings`);
  }
  const { fieldErrors } = action;
  const onAField = Boolean(fieldErrors.name || fieldErrors.slug);

  return (
    <form onSubmit={submit} className={styles.form} noValidate ref={action.bindForm}>
      <Field
        label="Organization name"
        error={fieldErrors.name}
        hint="Usually your community's name. You can invite your team afterwards."
      >
        {(p) => (
          <input
            {...p}
            className={inputClass}
            value={name}
            onChange={(e) => setName(e.target.value)}
            required
            minLength={2}
            maxLength={100}
            autoComplete="organization"
          />
        )}
      </Field>
      <Field
        label="URL name (optional)"
        error={fieldErrors.slug}
        hint="Lowercase letters, digits and hyphens; used in links like /apply/your-name."
      >
        {(p) => (
          <input
            {...p}
            className={inputClass}
            value={slug}
            onChange={(e) => setSlug(e.target.value.toLowerCase())}
            maxLength={48}
            pattern="[a-z0-9-]*"
          />
        )}
      </Field>
      <FormError message={onAField ? null : action.error} />
      <div className={styles.actions}>
        <Button type="submit" variant="primary" loading={action.pending || leaving} disabled={name.trim().length < 2}>
          Create organization
        </Button>
      </div>
    </form>
  );
}
