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

export type QuestionRow = { id: string; label: string; kind: "SHORT_TEXT" | "LONG_TEXT" | "SINGLE_CHOICE"; required: boolean; options: string[]; maxLength: number | null };

const KINDS = [
  { value: "SHORT_TEXT", label: "Short answer" },
  { value: "LONG_TEXT", label: "Paragraph" },
  { value: "SINGLE_CHOICE", label: "One of several choices" },
] as const;

type Draft = { label: string; kind: QuestionRow["kind"]; required: boolean; options: string };

const emptyDraft: Draft = { label: "", kind: "SHORT_TEXT", required: true, options: "" };

function toInput(d: Draft) {
  const base = { label: d.label.trim(), required: d.required };
  if (d.kind === "SINGLE_CHOICE") {
    return { ...base, kind: d.kind, options: d.options.split("\n").map((o) => o.trim()).filter(Boolean) };
  }
  return { ...base, kind: d.kind };
}

/** The questions applicants answer: add, edit and archive (old answers keep the wording they were given). */
export function QuestionsEditor({ slug, initial }: { slug: string; initial: QuestionRow[] }) {
  const toast = useToast();
  const [questions, setQuestions] = useState(initial);
  const [editing, setEditing] = useState<string | "new" | null>(null);
  const [draft, setDraft] = useState<Draft>(emptyDraft);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const url = `/api/orgs/${slug}/questions`;

  function open(q: QuestionRow | null) {
    setError(null);
    setEditing(q ? q.id : "new");
    setDraft(q ? { label: q.label, kind: q.kind, required: q.required, options: q.options.join("\n") } : emptyDraft);
  }

  async function save(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (editing === "new") {
        const { question } = await apiFetch<{ question: QuestionRow }>(url, { method: "POST", body: toInput(draft) });
        setQuestions((all) => [...all, question]);
      } else if (editing) {
        const { question } = await apiFetch<{ question: QuestionRow }>(`${url}/${editing}`, { method: "PUT", body: toInput(draft) });
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

  const form = (
    <form onSubmit={save} className={`${formStyles.form} ${styles.editor}`} noValidate aria-label={editing === "new" ? "New question" : "Edit question"}>
      <Field label="Question">
        {(p) => <input {...p} className={inputClass} value={draft.label} maxLength={200} onChange={(e) => setDraft({ ...draft, label: e.target.value })} autoFocus />}
      </Field>
      <Field label="Answer type">
        {(p) => (
          <select {...p} className={inputClass} value={draft.kind} onChange={(e) => setDraft({ ...draft, kind: e.target.value as Draft["kind"] })}>
            {KINDS.map((k) => (
              <option key={k.value} value={k.value}>
                {k.label}
              </option>
            ))}
          </select>
        )}
      </Field>
      {draft.kind === "SINGLE_CHOICE" ? (
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
                    {q.kind === "SINGLE_CHOICE" ? <span className={styles.muted}>{q.options.join(" · ")}</span> : null}
                  </div>
                </div>
                <div className={styles.questionActions}>
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
