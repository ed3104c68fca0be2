"use client";
import { useState, type FormEvent } from "react";
import { apiFetch, describeApiError } from "@/components/api/client";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Field, inputClass } from "@/components/ui/field";
import { useToast } from "@/components/ui/toast";
import formStyles from "@/components/dashboard/forms.module.css";
import styles from "./settings.module.css";

export type QuestionKind = "SHORT_TEXT" | "LONG_TEXT" | "SINGLE_CHOICE" | "MULTIPLE_CHOICE" | "NUMBER" | "URL";

export type QuestionRow = {
  id: string;
  label: string;
  kind: QuestionKind;
  required: boolean;
  options: string[];
  maxLength: number | null;
  /** Present for forms (issue 13): the stable key API callers answer by, help text and limits. */
  key?: string;
  helpText?: string | null;
  minLength?: number | null;
  min?: number | null;
  max?: number | null;
};

const KINDS = [
  { value: "SHORT_TEXT", label: "Short answer" },
  { value: "LONG_TEXT", label: "Paragraph" },
  { value: "SINGLE_CHOICE", label: "One of several choices" },
  { value: "MULTIPLE_CHOICE", label: "Several choices" },
  { value: "NUMBER", label: "Number" },
  { value: "URL", label: "Web address" },
] as const;

type Draft = { label: string; kind: QuestionKind; required: boolean; options: string; key: string; helpText: string; minLength: string; maxLength: string; min: string; max: string };

const emptyDraft: Draft = { label: "", kind: "SHORT_TEXT", required: true, options: "", key: "", helpText: "", minLength: "", maxLength: "", min: "", max: "" };

const num = (v: string) => (v.trim() === "" ? undefined : Number(v));
const str = (v: number | null | undefined) => (v === null || v === undefined ? "" : String(v));

function toInput(d: Draft, extended: boolean) {
  const base = { label: d.label.trim(), required: d.required, ...(extended && d.key.trim() ? { key: d.key.trim() } : {}), ...(extended && d.helpText.trim() ? { helpText: d.helpText.trim() } : {}) };
  if (d.kind === "SINGLE_CHOICE" || d.kind === "MULTIPLE_CHOICE") {
    return { ...base, kind: d.kind, options: d.options.split("\n").map((o) => o.trim()).filter(Boolean) };
  }
  if (!extended) return { ...base, kind: d.kind };
  if (d.kind === "NUMBER") return { ...base, kind: d.kind, min: num(d.min), max: num(d.max) };
  if (d.kind === "URL") return { ...base, kind: d.kind, maxLength: num(d.maxLength) };
  return { ...base, kind: d.kind, minLength: num(d.minLength), maxLength: num(d.maxLength) };
}

export type QuestionsEditorProps = {
  slug: string;
  initial: QuestionRow[];
  /** A form's questions route (`/api/orgs/<slug>/forms/<form>/questions`): enables keys, help text, limits, order. */
  apiBase?: string;
};

/** The questions applicants answer: add, edit and archive (old answers keep the wording they were given). */
export function QuestionsEditor({ slug, initial, apiBase }: QuestionsEditorProps) {
  const extended = apiBase !== undefined;
  const kinds = extended ? KINDS : KINDS.slice(0, 3);
  const toast = useToast();
  const [questions, setQuestions] = useState(initial);
  const [editing, setEditing] = useState<string | "new" | null>(null);
  const [draft, setDraft] = useState<Draft>(emptyDraft);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const url = apiBase ?? `/api/orgs/${slug}/questions`;

  function open(q: QuestionRow | null) {
    setError(null);
    setEditing(q ? q.id : "new");
    setDraft(
      q
        ? { ...emptyDraft, label: q.label, kind: q.kind, required: q.required, options: q.options.join("\n"), key: q.key ?? "", helpText: q.helpText ?? "", minLength: str(q.minLength), maxLength: str(q.maxLength), min: str(q.min), max: str(q.max) }
        : emptyDraft,
    );
  }

  async function save(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (editing === "new") {
        const { question } = await apiFetch<{ question: QuestionRow }>(url, { method: "POST", body: toInput(draft, extended) });
        setQuestions((all) => [...all, question]);
      } else if (editing) {
        const { question } = await apiFetch<{ question: QuestionRow }>(`${url}/${editing}`, { method: "PUT", body: toInput(draft, extended) });
        setQuestions((all) => all.map((q) => (q.id === question.id ? question : q)));
      }
      setEditing(null);
      toast.show("Question saved.", "success");
    } catch (e) {
      setError(describeApiError(e));
    } finally {
      setBusy(false);
    }
  }

  async function archive(q: QuestionRow) {
    try {
      await apiFetch(`${url}/${q.id}`, { method: "DELETE" });
      setQuestions((all) => all.filter((x) => x.id !== q.id));
      toast.show(`“${q.label}” is no longer asked. Earlier answers stay readable.`, "success");
    } catch (e) {
      toast.show(describeApiError(e), "danger");
    }
  }

  async function move(index: number, by: -1 | 1) {
    const order = questions.map((q) => q.id);
    const [moved] = order.splice(index, 1);
    order.splice(index + by, 0, moved!);
    try {
      const { questions: next } = await apiFetch<{ questions: QuestionRow[] }>(`${url}/order`, { method: "PUT", body: { questionIds: order } });
      setQuestions(next);
    } catch (e) {
      toast.show(describeApiError(e), "danger");
    }
  }

  const form = (
    <form onSubmit={save} className={`${formStyles.form} ${styles.editor}`} noValidate aria-label={editing === "new" ? "New question" : "Edit question"}>
      <Field label="Question">
        {(p) => <input {...p} className={inputClass} value={draft.label} maxLength={200} onChange={(e) => setDraft({ ...draft, label: e.target.value })} autoFocus />}
      </Field>
      <Field label="Answer type">
        {(p) => (
          <select {...p} className={inputClass} value={draft.kind} onChange={(e) => setDraft({ ...draft, kind: e.target.value as Draft["kind"] })}>
            {kinds.map((k) => (
              <option key={k.value} value={k.value}>
                {k.label}
              </option>
            ))}
          </select>
        )}
      </Field>
      {extended ? (
        <>
          <Field label="Key" hint="What the API answers this question by. Leave empty to derive it from the question.">
            {(p) => <input {...p} className={inputClass} value={draft.key} maxLength={50} onChange={(e) => setDraft({ ...draft, key: e.target.value })} />}
          </Field>
          <Field label="Help text" hint="Shown under the question.">
            {(p) => <input {...p} className={inputClass} value={draft.helpText} maxLength={500} onChange={(e) => setDraft({ ...draft, helpText: e.target.value })} />}
          </Field>
          {draft.kind === "NUMBER" ? (
            <div className={formStyles.row}>
              <Field label="Smallest">{(p) => <input {...p} type="number" className={inputClass} value={draft.min} onChange={(e) => setDraft({ ...draft, min: e.target.value })} />}</Field>
              <Field label="Largest">{(p) => <input {...p} type="number" className={inputClass} value={draft.max} onChange={(e) => setDraft({ ...draft, max: e.target.value })} />}</Field>
            </div>
          ) : draft.kind === "SHORT_TEXT" || draft.kind === "LONG_TEXT" || draft.kind === "URL" ? (
            <div className={formStyles.row}>
              {draft.kind !== "URL" ? (
                <Field label="At least (characters)">{(p) => <input {...p} type="number" min={0} className={inputClass} value={draft.minLength} onChange={(e) => setDraft({ ...draft, minLength: e.target.value })} />}</Field>
              ) : null}
              <Field label="At most (characters)">{(p) => <input {...p} type="number" min={1} className={inputClass} value={draft.maxLength} onChange={(e) => setDraft({ ...draft, maxLength: e.target.value })} />}</Field>
            </div>
          ) : null}
        </>
      ) : null}
      {draft.kind === "SINGLE_CHOICE" || draft.kind === "MULTIPLE_CHOICE" ? (
        <Field label="Choices" hint="One per line, at least two.">
          {(p) => <textarea {...p} className={inputClass} value={draft.options} onChange={(e) => setDraft({ ...draft, options: e.target.value })} rows={4} />}
        </Field>
      ) : null}
      <label className={formStyles.check}>
        <input type="checkbox" checked={draft.required} onChange={(e) => setDraft({ ...draft, required: e.target.checked })} />
        <span>Required</span>
      </label>
      {error ? (
        <p role="alert" className={formStyles.formError}>
          {error}
        </p>
      ) : null}
      <div className={formStyles.actions}>
        <Button type="submit" variant="primary" loading={busy} disabled={!draft.label.trim()}>
          Save question
        </Button>
        <Button onClick={() => setEditing(null)} disabled={busy}>
          Cancel
        </Button>
      </div>
    </form>
  );

  return (
    <div className={styles.stack}>
      {questions.length === 0 && editing !== "new" ? <EmptyState title="No questions">Applicants only confirm their Discord account. Add a question to learn more about them.</EmptyState> : null}
      <ol className={styles.questions}>
        {questions.map((q, i) => (
          <li key={q.id} className={styles.question}>
            {editing === q.id ? (
              form
            ) : (
              <>
                <div className={styles.questionText}>
                  <span className={styles.questionNumber}>{i + 1}.</span> {q.label}
                  <div className={styles.questionMeta}>
                    <Badge>{KINDS.find((k) => k.value === q.kind)?.label ?? q.kind}</Badge>
                    {q.required ? <Badge tone="info">Required</Badge> : <Badge>Optional</Badge>}
                    {q.key ? <code className={styles.muted}>{q.key}</code> : null}
                    {q.options.length ? <span className={styles.muted}>{q.options.join(" · ")}</span> : null}
                  </div>
                </div>
                <div className={styles.questionActions}>
                  {extended ? (
                    <>
                      <Button size="sm" variant="ghost" onClick={() => void move(i, -1)} disabled={editing !== null || i === 0} aria-label={`Move “${q.label}” up`}>
                        ↑
                      </Button>
                      <Button size="sm" variant="ghost" onClick={() => void move(i, 1)} disabled={editing !== null || i === questions.length - 1} aria-label={`Move “${q.label}” down`}>
                        ↓
                      </Button>
                    </>
                  ) : null}
                  <Button size="sm" onClick={() => open(q)} aria-label={`Edit “${q.label}”`} disabled={editing !== null}>
                    Edit
                  </Button>
                  <Button size="sm" variant="ghost" onClick={() => void archive(q)} aria-label={`Stop asking “${q.label}”`} disabled={editing !== null}>
                    Remove
                  </Button>
                </div>
              </>
            )}
          </li>
        ))}
      </ol>
      {editing === "new" ? form : null}
      {editing === null ? (
        <div>
          <Button onClick={() => open(null)}>Add a question</Button>
        </div>
      ) : null}
    </div>
  );
}
