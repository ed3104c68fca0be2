"use client";
// The application form: one field per question; errors from the server are shown beside their question.
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import styles from "./apply.module.css";

export type ApplyQuestion = {
  id: string;
  label: string;
  kind: "SHORT_TEXT" | "LONG_TEXT" | "SINGLE_CHOICE";
  required: boolean;
  options: string[];
  maxLength: number | null;
};

const DEFAULT_MAX = { SHORT_TEXT: 200, LONG_TEXT: 2000 } as const;

type ServerError = { error?: { code?: string; message?: string; details?: { path: string; message: string }[] } };

export function ApplyForm({ slug, questions }: { slug: string; questions: ApplyQuestion[] }) {
  const router = useRouter();
  const [answers, setAnswers] = useState<Record<string, string>>({});
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
        body: JSON.stringify({ answers }),
      });
      if (response.ok) {
        router.refresh();
        return;
      }
      const body = (await response.json().catch(() => ({}))) as ServerError;
      const details = body.error?.details ?? [];
      const perField: Record<string, string> = {};
      for (const d of details) {
        const id = d.path.replace(/^answers\./, "");
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

  const set = (id: string, value: string) => setAnswers((a) => ({ ...a, [id]: value }));

  return (
    <form className={styles.form} onSubmit={submit} noValidate>
      {questions.map((q) => {
        const inputId = `q-${q.id}`;
        const error = fieldErrors[q.id];
        const max = q.kind === "SINGLE_CHOICE" ? undefined : (q.maxLength ?? DEFAULT_MAX[q.kind]);
        return (
          <div key={q.id} className={styles.field}>
            <label htmlFor={inputId} className={styles.label}>
              {q.label}
              {q.required ? <span aria-hidden="true"> *</span> : <span className={styles.optional}> (optional)</span>}
            </label>
            {q.kind === "SHORT_TEXT" ? (
              <input id={inputId} className={styles.input} required={q.required} maxLength={max} value={answers[q.id] ?? ""} onChange={(e) => set(q.id, e.target.value)} aria-invalid={Boolean(error)} />
            ) : q.kind === "LONG_TEXT" ? (
              <textarea id={inputId} className={styles.textarea} rows={5} required={q.required} maxLength={max} value={answers[q.id] ?? ""} onChange={(e) => set(q.id, e.target.value)} aria-invalid={Boolean(error)} />
            ) : (
              <select id={inputId} className={styles.input} required={q.required} value={answers[q.id] ?? ""} onChange={(e) => set(q.id, e.target.value)} aria-invalid={Boolean(error)}>
                <option value="">Choose…</option>
                {q.options.map((o) => (
                  <option key={o} value={o}>
                    {o}
                  </option>
                ))}
              </select>
            )}
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
