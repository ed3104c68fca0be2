"use client";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { apiFetch, ApiError, describeApiError } from "@/components/api/client";
import { Button } from "@/components/ui/button";
import { Field, inputClass } from "@/components/ui/field";
import styles from "./forms.module.css";

type Created = { organization: { slug: string } };

export function CreateOrganizationForm() {
  const router = useRouter();
  const [name, setName] = useState("");
  const [slug, setSlug] = useState("");
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<{ name?: string; slug?: string; form?: string }>({});

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setErrors({});
    try {
      const body = { name: name.trim(), ...(slug.trim() ? { slug: slug.trim() } : {}) };
      const { organization } = await apiFetch<Created>("/api/orgs", { method: "POST", body });
      router.push(`/dashboard/${organization.slug}/settings`);
    } catch (error) {
      const fields: Record<string, string> = {};
      if (error instanceof ApiError && Array.isArray(error.details)) {
        for (const d of error.details as { path?: string; message?: string }[])
          if (d.path && d.message) fields[d.path] = d.message;
      }
      if (error instanceof ApiError && error.code === "already_exists") fields.slug = error.message;
      setErrors({
        name: fields.name,
        slug: fields.slug,
        form: fields.name || fields.slug ? undefined : describeApiError(error),
      });
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} className={styles.form} noValidate>
      <Field
        label="Organization name"
        error={errors.name}
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
        error={errors.slug}
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
      {errors.form ? (
        <p role="alert" className={styles.formError}>
          {errors.form}
        </p>
      ) : null}
      <div className={styles.actions}>
        <Button type="submit" variant="primary" loading={busy} disabled={name.trim().length < 2}>
          Create organization
        </Button>
      </div>
    </form>
  );
}
