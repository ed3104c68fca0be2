"use client";
// The application form: one field per question; errors from the server are shown beside their question.
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import styles from "./apply.module.css";

export type ApplyQuestion = {
  id: string;
  label: string;
  helpText: string | null;
  kind: "SHORT_TEXT" | "LONG_TEXT" | "SINGLE_CHOICE" | "MULTIPLE_CHOICE" | "NUMBER" | "URL";
  required: boolean;
  options: string[];
  minLength: number | null;
  maxLength: number | null;
  minValue: number | null;
  maxValue: number | null;
};

const DEFAULT_MAX = { SHORT_TEXT: 200, LONG_TEXT: 2000, URL: 500 } as const;

type ServerError = { error?: { code?: string; message?: string; details?: { path: string; message: string }[] } };
type Answer = string | string[];

export function ApplyForm({ slug, formSlug, questions }: { slug: string; formSlug: string; questions: ApplyQuestion[] }) {
  const router = useRouter();
  const [answers, setAnswers] = useState<Record<string, Answer>>({});
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSending(true);
    setFormError(null);
    setFieldErrors({});
    try {
      const response = await fetch(`/api/apply/${slug}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ form: formSlug, answers }),
      });
      if (response.ok) {
        router.refresh();
        return;
      }
      const body = (await response.json().catch(() => ({}))) as ServerError;
      const details = body.error?.details ?? [];
      const perField: Record<string, string> = {};
      for (const d of details) {
        const id = d.path.replace(/^answers\./, "").split(".")[0]!;
        if (questions.some((q) => q.id === id)) perField[id] = d.message;
      }
      setFieldErrors(perField);
      setFormError(Object.keys(perField).length ? "Please check the highlighted answers." : (body.error?.message ?? "Sending failed; please try again."));
    } catch {
      setFormError("Sending failed; check your connection and try again.");
    } finally {
      setSending(false);
    }
  }

  const set = (id: string, value: Answer) => setAnswers((a) => ({ ...a, [id]: value }));
  const toggle = (id: string, option: string, on: boolean) =>
    setAnswers((a) => {
      const current = Array.isArray(a[id]) ? (a[id] as string[]) : [];
      return { ...a, [id]: on ? [...current, option] : current.filter((o) => o !== option) };
    });

  return (
    <form className={styles.form} onSubmit={submit} noValidate>
      {questions.map((q) => {
        const inputId = `q-${q.id}`;
        const helpId = q.helpText ? `${inputId}-help` : undefined;
        const error = fieldErrors[q.id];
        const text = typeof answers[q.id] === "string" ? (answers[q.id] as string) : "";
        const common = { id: inputId, "aria-invalid": Boolean(error), "aria-describedby": helpId, required: q.required };
        const max = q.kind === "SHORT_TEXT" || q.kind === "LONG_TEXT" || q.kind === "URL" ? (q.maxLength ?? DEFAULT_MAX[q.kind]) : undefined;
        const label = (
          <>
            {q.label}
            {q.required ? <span aria-hidden="true"> *</span> : <span className={styles.optional}> (optional)</span>}
          </>
        );
        return (
          <div key={q.id} className={styles.field}>
            {q.kind === "MULTIPLE_CHOICE" ? (
              <fieldset className={styles.choices} aria-describedby={helpId} aria-invalid={Boolean(error)}>
                <legend className={styles.label}>{label}</legend>
                {q.options.map((o, i) => (
                  <label key={o} className={styles.choice}>
                    <input
                      type="checkbox"
                      id={`${inputId}-${i}`}
                      checked={Array.isArray(answers[q.id]) && (answers[q.id] as string[]).includes(o)}
                      onChange={(e) => toggle(q.id, o, e.target.checked)}
                    />{" "}
                    {o}
                  </label>
                ))}
              </fieldset>
            ) : (
              <label htmlFor={inputId} className={styles.label}>
                {label}
              </label>
            )}
            {q.helpText ? (
              <p id={helpId} className={styles.help}>
                {q.helpText}
              </p>
            ) : null}
            {q.kind === "SHORT_TEXT" ? (
              <input {...common} className={styles.input} minLength={q.minLength ?? undefined} maxLength={max} value={text} onChange={(e) => set(q.id, e.target.value)} />
            ) : q.kind === "LONG_TEXT" ? (
              <textarea {...common} className={styles.textarea} rows={5} minLength={q.minLength ?? undefined} maxLength={max} value={text} onChange={(e) => set(q.id, e.target.value)} />
            ) : q.kind === "URL" ? (
              <input {...common} type="url" inputMode="url" placeholder="https://" className={styles.input} maxLength={max} value={text} onChange={(e) => set(q.id, e.target.value)} />
            ) : q.kind === "NUMBER" ? (
              <input {...common} type="number" inputMode="decimal" className={styles.input} min={q.minValue ?? undefined} max={q.maxValue ?? undefined} value={text} onChange={(e) => set(q.id, e.target.value)} />
            ) : q.kind === "SINGLE_CHOICE" ? (
              <select {...common} className={styles.input} value={text} onChange={(e) => set(q.id, e.target.value)}>
                <option value="">Choose…</option>
                {q.options.map((o) => (
                  <option key={o} value={o}>
                    {o}
                  </option>
                ))}
              </select>
            ) : null}
            {error ? <p className={styles.fieldError}>{error}</p> : null}
          </div>
        );
      })}
      {formError ? <p className={styles.error} role="alert">{formError}</p> : null}
      <button className={styles.submit} type="submit" disabled={sending}>
        {sending ? "Sending…" : "Send application"}
      </button>
    </form>
  );
}
