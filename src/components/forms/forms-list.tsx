"use client";
// The organization's forms: each with its address and state, and a form to add one.
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { apiFetch, describeApiError } from "@/components/api/client";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Field, inputClass } from "@/components/ui/field";
import { useToast } from "@/components/ui/toast";
import formStyles from "@/components/dashboard/forms.module.css";
import { formsApi, type FormView } from "./types";
import styles from "./forms.module.css";

const slugify = (name: string) =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40);

export function FormsList({ slug, initial }: { slug: string; initial: FormView[] }) {
  const router = useRouter();
  const toast = useToast();
  const [name, setName] = useState("");
  const [formSlug, setFormSlug] = useState("");
  const [slugTouched, setSlugTouched] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function create(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const { form } = await apiFetch<{ form: FormView }>(formsApi(slug), {
        method: "POST",
        body: { name: name.trim(), slug: formSlug },
      });
      toast.show(`Form “${form.name}” created.`, "success");
      router.push(`/dashboard/${slug}/settings/forms/${form.slug}`);
    } catch (e) {
      setError(describeApiError(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className={formStyles.form} style={{ maxWidth: "none" }}>
      <ul className={styles.list}>
        {initial.map((f) => (
          <li key={f.id} className={styles.item} data-form={f.slug}>
            <div>
              <Link className={styles.name} href={`/dashboard/${slug}/settings/forms/${f.slug}`}>
                {f.name}
              </Link>
              <div className={styles.meta}>
                <code>
                  /apply/{slug}/{f.slug}
                </code>
                {f.isDefault ? <Badge tone="info">Default</Badge> : null}
                {f.isOpen ? <Badge tone="success">Open</Badge> : <Badge>Closed</Badge>}
              </div>
            </div>
          </li>
        ))}
      </ul>
      <form onSubmit={create} className={formStyles.form} aria-label="New form" noValidate>
        <div className={formStyles.row}>
          <Field label="New form name">
            {(p) => (
              <input
                {...p}
                className={inputClass}
                value={name}
                maxLength={100}
                onChange={(e) => {
                  setName(e.target.value);
                  if (!slugTouched) setFormSlug(slugify(e.target.value));
                }}
              />
            )}
          </Field>
          <Field label="Address" hint={`/apply/${slug}/${formSlug || "…"}`}>
            {(p) => (
              <input
                {...p}
                className={inputClass}
                value={formSlug}
                maxLength={40}
                onChange={(e) => {
                  setSlugTouched(true);
                  setFormSlug(e.target.value);
                }}
              />
            )}
          </Field>
        </div>
        {error ? (
          <p role="alert" className={formStyles.formError}>
            {error}
          </p>
        ) : null}
        <div className={formStyles.actions}>
          <Button type="submit" variant="primary" loading={busy} disabled={!name.trim() || !formSlug}>
            Create form
          </Button>
        </div>
      </form>
    </div>
  );
}
