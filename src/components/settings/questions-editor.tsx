"use client";
import { useState, type FormEvent } from "react";
import { apiFetch } from "@/components/api/client";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Field, inputClass } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { useAction } from "@/components/ui/use-action";
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
    return { ...base, kind: d.kind, options: choicesOf(d) };
  }
  return { ...base, kind: d.kind };
}

const LABEL_MAX = 200;
const CHOICE_MAX = 100;

const choicesOf = (d: Draft) => d.options.split("\n").map((o) => o.trim()).filter(Boolean);

/** What is wrong with a draft, per field, in words; empty when it can be saved. */
export function draftProblems(d: Draft): Record<string, string> {
  const problems: Record<string, string> = {};
  if (!d.label.trim()) problems.label = "Write the question applicants should answer.";
  if (d.kind === "SINGLE_CHOICE") {
    const choices = choicesOf(d);
    if (choices.length < 2) problems.options = `Add at least two choices, one per line (now ${choices.length}).`;
    else if (choices.length > 20) problems.options = `Offer at most 20 choices (now ${choices.length}).`;
    else if (new Set(choices).size !== choices.length) problems.options = "Each choice must be different: remove the repeated line.";
    else if (choices.some((c) => c.length > CHOICE_MAX)) problems.options = `Keep each choice to ${CHOICE_MAX} characters.`;
  }
  return problems;
}

/** The questions applicants answer: add, edit and archive (old answers keep the wording they were given). */
export function QuestionsEditor({ slug, initial }: { slug: string; initial: QuestionRow[] }) {
  const [questions, setQuestions] = useState(initial);
  const [editing, setEditing] = useState<string | "new" | null>(null);
  const [draft, setDraft] = useState<Draft>(emptyDraft);
  const saving = useAction();
  const archiving = useAction();
  const url = `/api/orgs/${slug}/questions`;

  function open(q: QuestionRow | null) {
    saving.reset();
    setEditing(q ? q.id : "new");
    setDraft(q ? { label: q.label, kind: q.kind, required: q.required, options: q.options.join("\n") } : emptyDraft);
  }

  async function save(event: FormEvent) {
    event.preventDefault();
    const problems = draftProblems(draft);
    if (Object.keys(problems).length) return saving.fail("Fix the highlighted field, then save the question.", problems);
    const saved = await saving.run(
      async () => {
        if (editing === "new") {
          const { question } = await apiFetch<{ question: QuestionRow }>(url, { method: "POST", body: toInput(draft) });
          setQuestions((all) => [...all, question]);
        } else if (editing) {
          const { question } = await apiFetch<{ question: QuestionRow }>(`${url}/${editing}`, { method: "PUT", body: toInput(draft) });
          setQuestions((all) => all.map((q) => (q.id === question.id ? question : q)));
        }
        return true;
      },
      { success: "Question saved.", labels: { label: "Question", options: "Choices", kind: "Answer type" } },
    );
    if (saved) setEditing(null);
  }

  async function archive(q: QuestionRow) {
    const done = await archiving.run(() => apiFetch(`${url}/${q.id}`, { method: "DELETE" }), {
      errorTo: "toast",
      success: `“${q.label}” is no longer asked. Earlier answers stay readable.`,
    });
    if (done !== undefined) setQuestions((all) => all.filter((x) => x.id !== q.id));
  }

  const optionsError = saving.fieldErrors.options ?? Object.entries(saving.fieldErrors).find(([k]) => k.startsWith("options."))?.[1];
  const form = (
    <form onSubmit={save} className={`${formStyles.form} ${styles.editor}`} noValidate aria-label={editing === "new" ? "New question" : "Edit question"} ref={saving.formRef}>
      <Field label="Question" error={saving.fieldErrors.label} limit={{ used: draft.label.length, max: LABEL_MAX }}>
        {(p) => <input {...p} className={inputClass} value={draft.label} maxLength={LABEL_MAX} onChange={(e) => setDraft({ ...draft, label: e.target.value })} autoFocus />}
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
        <Field label="Choices" hint={`One per line: at least two, at most 20, each up to ${CHOICE_MAX} characters.`} error={optionsError}>
          {(p) => <textarea {...p} className={inputClass} value={draft.options} onChange={(e) => setDraft({ ...draft, options: e.target.value })} rows={4} />}
        </Field>
      ) : null}
      <label className={formStyles.check}>
        <input type="checkbox" checked={draft.required} onChange={(e) => setDraft({ ...draft, required: e.target.checked })} />
        <span>Required</span>
      </label>
      {saving.error && !Object.keys(saving.fieldErrors).length ? <FormError message={saving.error} /> : null}
      <div className={formStyles.actions}>
        <Button type="submit" variant="primary" loading={saving.pending}>
          Save question
        </Button>
        <Button onClick={() => setEditing(null)} disabled={saving.pending}>
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
                  <Button size="sm" variant="ghost" onClick={() => void archive(q)} aria-label={`Remove “${q.label}”`} disabled={editing !== null || archiving.pending}>
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
