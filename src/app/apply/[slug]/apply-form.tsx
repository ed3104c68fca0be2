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
  helpText: string | null;
  kind: "SHORT_TEXT" | "LONG_TEXT" | "SINGLE_CHOICE" | "MULTIPLE_CHOICE" | "NUMBER" | "URL";
  required: boolean;
  options: string[];
  minLength: number | null;
  maxLength: number | null;
  minValue: number | null;
  maxValue: number | null;
};

type Answer = string | string[];

const DEFAULT_MAX = { SHORT_TEXT: 200, LONG_TEXT: 2000, URL: 500 } as const;

/** The character limit shown while typing, for the kinds answered in text. */
export const maxLengthOf = (q: ApplyQuestion) =>
  q.kind === "SHORT_TEXT" || q.kind === "LONG_TEXT" || q.kind === "URL"
    ? (q.maxLength ?? DEFAULT_MAX[q.kind])
    : undefined;

const count = (n: number) => n.toLocaleString("en-US");

/** What is wrong with one answer, in words; null when it can be sent. */
export function answerProblem(q: ApplyQuestion, value: Answer | undefined): string | null {
  if (q.kind === "MULTIPLE_CHOICE") {
    const picked = Array.isArray(value) ? value : [];
    return q.required && picked.length === 0 ? "Choose at least one of the options: this question is required." : null;
  }
  const v = (typeof value === "string" ? value : "").trim();
  if (!v)
    return q.required
      ? q.kind === "SINGLE_CHOICE"
        ? "Choose one of the options: this question is required."
        : "Answer this question: it is required."
      : null;
  const max = maxLengthOf(q);
  if (max !== undefined && v.length > max)
    return `Shorten your answer to ${count(max)} characters (now ${count(v.length)}).`;
  if (q.minLength !== null && (q.kind === "SHORT_TEXT" || q.kind === "LONG_TEXT") && v.length < q.minLength) {
    return `Write at least ${count(q.minLength)} characters (now ${count(v.length)}).`;
  }
  if (q.kind === "SINGLE_CHOICE" && !q.options.includes(v)) return "Choose one of the options listed.";
  if (q.kind === "NUMBER") {
    const n = Number(v);
    if (!Number.isFinite(n)) return "Enter a number, for example 18.";
    if (q.minValue !== null && n < q.minValue) return `Enter ${q.minValue} or more.`;
    if (q.maxValue !== null && n > q.maxValue) return `Enter ${q.maxValue} or less.`;
  }
  if (q.kind === "URL" && !/^https?:\/\/\S+$/i.test(v)) return "Enter a web address starting with https://";
  return null;
}

export function ApplyForm({
  slug,
  formSlug,
  questions,
}: {
  slug: string;
  formSlug: string;
  questions: ApplyQuestion[];
}) {
  const router = useRouter();
  const [answers, setAnswers] = useState<Record<string, Answer>>({});
  const sending = useAction();

  async function submit(event: FormEvent) {
    event.preventDefault();
    const problems: Record<string, string> = {};
    for (const q of questions) {
      const problem = answerProblem(q, answers[q.id]);
      if (problem) problems[`answers.${q.id}`] = problem;
    }
    const n = Object.keys(problems).length;
    if (n) {
      return sending.fail(
        n === 1
          ? "One answer needs a change before you send: see the highlighted question."
          : `${n} answers need a change before you send: see the highlighted questions.`,
        problems,
      );
    }
    const sent = await sending.run(() =>
      apiFetch(`/api/apply/${slug}`, { method: "POST", body: { form: formSlug, answers } }),
    );
    if (sent !== undefined) router.refresh();
  }

  const set = (id: string, value: Answer) => setAnswers((a) => ({ ...a, [id]: value }));
  const toggle = (id: string, option: string, on: boolean) =>
    setAnswers((a) => {
      const current = Array.isArray(a[id]) ? (a[id] as string[]) : [];
      return { ...a, [id]: on ? [...current, option] : current.filter((o) => o !== option) };
    });

  return (
    <form className={styles.form} onSubmit={submit} noValidate ref={sending.bindForm} aria-label="Your application">
      {questions.map((q) => {
        const inputId = `q-${q.id}`;
        const error = sending.fieldErrors[`answers.${q.id}`];
        const max = maxLengthOf(q);
        const text = typeof answers[q.id] === "string" ? (answers[q.id] as string) : "";
        const helpId = q.helpText ? `${inputId}-help` : null;
        const described =
          [helpId, max !== undefined ? `${inputId}-count` : null, error ? `${inputId}-error` : null]
            .filter(Boolean)
            .join(" ") || undefined;
        const common = {
          id: inputId,
          required: q.required,
          "aria-invalid": error ? true : undefined,
          "aria-describedby": described,
        } as const;
        const label = (
          <>
            {q.label}
            <span className={styles.optional}>{q.required ? " (required)" : " (optional)"}</span>
          </>
        );
        return (
          <div key={q.id} className={styles.field}>
            {q.kind === "MULTIPLE_CHOICE" ? (
              <fieldset
                className={styles.choices}
                aria-describedby={described}
                aria-invalid={error ? true : undefined}
                id={inputId}
                tabIndex={-1}
              >
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
              <p id={helpId!} className={styles.help}>
                {q.helpText}
              </p>
            ) : null}
            {q.kind === "SHORT_TEXT" ? (
              <input
                {...common}
                className={styles.input}
                maxLength={max}
                value={text}
                onChange={(e) => set(q.id, e.target.value)}
              />
            ) : q.kind === "LONG_TEXT" ? (
              <textarea
                {...common}
                className={styles.textarea}
                rows={5}
                maxLength={max}
                value={text}
                onChange={(e) => set(q.id, e.target.value)}
              />
            ) : q.kind === "URL" ? (
              <input
                {...common}
                type="url"
                inputMode="url"
                placeholder="https://"
                className={styles.input}
                maxLength={max}
                value={text}
                onChange={(e) => set(q.id, e.target.value)}
              />
            ) : q.kind === "NUMBER" ? (
              <input
                {...common}
                type="number"
                inputMode="decimal"
                className={styles.input}
                min={q.minValue ?? undefined}
                max={q.maxValue ?? undefined}
                value={text}
                onChange={(e) => set(q.id, e.target.value)}
              />
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
            {max !== undefined ? <CharacterCount id={`${inputId}-count`} used={text.length} max={max} /> : null}
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
