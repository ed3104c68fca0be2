"use client";
// The application form: one field per question, checked here first (in words, focus on the first problem), with
// the limits shown while typing; what the server still refuses is shown beside its question the same way.
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { apiFetch } from "@/components/api/client";
import { CharacterCount } from "@/components/ui/field";
import { useAction } from "@/components/ui/use-action";
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

export const maxLengthOf = (q: ApplyQuestion) => (q.kind === "SINGLE_CHOICE" ? undefined : (q.maxLength ?? DEFAULT_MAX[q.kind]));

/** What is wrong with one answer, in words; null when it can be sent. */
export function answerProblem(q: ApplyQuestion, value: string | undefined): string | null {
  const v = (value ?? "").trim();
  if (!v) return q.required ? (q.kind === "SINGLE_CHOICE" ? "Choose one of the options: this question is required." : "Answer this question: it is required.") : null;
  const max = maxLengthOf(q);
  if (max !== undefined && v.length > max) return `Shorten your answer to ${max.toLocaleString("en-US")} characters (now ${v.length.toLocaleString("en-US")}).`;
  if (q.kind === "SINGLE_CHOICE" && !q.options.includes(v)) return "Choose one of the options listed.";
  return null;
}

export function ApplyForm({ slug, questions }: { slug: string; questions: ApplyQuestion[] }) {
  const router = useRouter();
  const [answers, setAnswers] = useState<Record<string, string>>({});
  const sending = useAction();

  async function submit(event: FormEvent) {
    event.preventDefault();
    const problems: Record<string, string> = {};
    for (const q of questions) {
      const problem = answerProblem(q, answers[q.id]);
      if (problem) problems[`answers.${q.id}`] = problem;
    }
    const count = Object.keys(problems).length;
    if (count) return sending.fail(count === 1 ? "One answer needs a change before you send: see the highlighted question." : `${count} answers need a change before you send: see the highlighted questions.`, problems);
    const sent = await sending.run(() => apiFetch(`/api/apply/${slug}`, { method: "POST", body: { answers } }));
    if (sent !== undefined) router.refresh();
  }

  const set = (id: string, value: string) => setAnswers((a) => ({ ...a, [id]: value }));

  return (
    <form className={styles.form} onSubmit={submit} noValidate ref={sending.formRef} aria-label="Your application">
      {questions.map((q) => {
        const inputId = `q-${q.id}`;
        const error = sending.fieldErrors[`answers.${q.id}`];
        const max = maxLengthOf(q);
        const value = answers[q.id] ?? "";
        const described = [max !== undefined ? `${inputId}-count` : null, error ? `${inputId}-error` : null].filter(Boolean).join(" ") || undefined;
        const common = { id: inputId, required: q.required, "aria-invalid": error ? true : undefined, "aria-describedby": described } as const;
        return (
          <div key={q.id} className={styles.field}>
            <label htmlFor={inputId} className={styles.label}>
              {q.label}
              {q.required ? <span className={styles.optional}> (required)</span> : <span className={styles.optional}> (optional)</span>}
            </label>
            {q.kind === "SHORT_TEXT" ? (
              <input {...common} className={styles.input} maxLength={max} value={value} onChange={(e) => set(q.id, e.target.value)} />
            ) : q.kind === "LONG_TEXT" ? (
              <textarea {...common} className={styles.textarea} rows={5} maxLength={max} value={value} onChange={(e) => set(q.id, e.target.value)} />
            ) : (
              <select {...common} className={styles.input} value={value} onChange={(e) => set(q.id, e.target.value)}>
                <option value="">Choose…</option>
                {q.options.map((o) => (
                  <option key={o} value={o}>
                    {o}
                  </option>
                ))}
              </select>
            )}
            {max !== undefined ? <CharacterCount id={`${inputId}-count`} used={value.length} max={max} /> : null}
            {error ? (
              <p id={`${inputId}-error`} className={styles.fieldError}>
                {error}
              </p>
            ) : null}
          </div>
        );
      })}
      {sending.error ? (
        <p className={styles.error} role="alert" data-form-error="">
          {sending.error}
        </p>
      ) : null}
      <button className={styles.submit} type="submit" disabled={sending.pending}>
        {sending.pending ? "Sending…" : "Send application"}
      </button>
    </form>
  );
}
