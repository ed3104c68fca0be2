"use client";
// Length (past ~300 lines): one editor whose list, form and per-kind fields share one state and one save path.
import { useState, type FormEvent } from "react";
import { apiFetch, describeApiError } from "@/components/api/client";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Field, inputClass } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { useToast } from "@/components/ui/toast";
import { useAction } from "@/components/ui/use-action";
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
  /** Present for forms: the stable key API callers answer by, help text and limits. */
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

const isChoice = (kind: QuestionKind) => kind === "SINGLE_CHOICE" || kind === "MULTIPLE_CHOICE";
const num = (v: string) => (v.trim() === "" ? undefined : Number(v));
const str = (v: number | null | undefined) => (v === null || v === undefined ? "" : String(v));

type Draft = {
  label: string;
  kind: QuestionKind;
  required: boolean;
  options: string;
  key: string;
  helpText: string;
  minLength: string;
  maxLength: string;
  min: string;
  max: string;
};

const emptyDraft: Draft = {
  label: "",
  kind: "SHORT_TEXT",
  required: true,
  options: "",
  key: "",
  helpText: "",
  minLength: "",
  maxLength: "",
  min: "",
  max: "",
};

function toInput(d: Draft, extended: boolean) {
  const base = {
    label: d.label.trim(),
    required: d.required,
    ...(extended && d.key.trim() ? { key: d.key.trim() } : {}),
    ...(extended && d.helpText.trim() ? { helpText: d.helpText.trim() } : {}),
  };
  if (isChoice(d.kind)) return { ...base, kind: d.kind, options: choicesOf(d) };
  if (!extended) return { ...base, kind: d.kind };
  if (d.kind === "NUMBER") return { ...base, kind: d.kind, min: num(d.min), max: num(d.max) };
  if (d.kind === "URL") return { ...base, kind: d.kind, maxLength: num(d.maxLength) };
  return { ...base, kind: d.kind, minLength: num(d.minLength), maxLength: num(d.maxLength) };
}

const LABEL_MAX = 200;
const CHOICE_MAX = 100;

const choicesOf = (d: Draft) =>
  d.options
    .split("\n")
    .map((o) => o.trim())
    .filter(Boolean);

/** What is wrong with a draft, per field, in words; empty when it can be saved. */
export function draftProblems(d: Draft): Record<string, string> {
  const problems: Record<string, string> = {};
  if (!d.label.trim()) problems.label = "Write the question applicants should answer.";
  if (isChoice(d.kind)) {
    const choices = choicesOf(d);
    if (choices.length < 2) problems.options = `Add at least two choices, one per line (now ${choices.length}).`;
    else if (choices.length > 20) problems.options = `Offer at most 20 choices (now ${choices.length}).`;
    else if (new Set(choices).size !== choices.length)
      problems.options = "Each choice must be different: remove the repeated line.";
    else if (choices.some((c) => c.length > CHOICE_MAX))
      problems.options = `Keep each choice to ${CHOICE_MAX} characters.`;
  }
  return problems;
}

/** The questions applicants answer: add, edit and archive (old answers keep the wording they were given). */
export type QuestionsEditorProps = {
  slug: string;
  initial: QuestionRow[];
  /** A form's questions route (`/api/orgs/<slug>/forms/<form>/questions`): enables keys, help text, limits, order. */
  apiBase?: string;
};

export function QuestionsEditor({ slug, initial, apiBase }: QuestionsEditorProps) {
  const extended = apiBase !== undefined;
  const kinds = extended ? KINDS : KINDS.slice(0, 3);
  const toast = useToast();
  const [questions, setQuestions] = useState(initial);
  const [editing, setEditing] = useState<string | "new" | null>(null);
  const [draft, setDraft] = useState<Draft>(emptyDraft);
  const saving = useAction();
  const archiving = useAction();
  const url = apiBase ?? `/api/orgs/${slug}/questions`;

  function open(q: QuestionRow | null) {
    saving.reset();
    setEditing(q ? q.id : "new");
    setDraft(
      q
        ? {
            ...emptyDraft,
            label: q.label,
            kind: q.kind,
            required: q.required,
            options: q.options.join("\n"),
            key: q.key ?? "",
            helpText: q.helpText ?? "",
            minLength: str(q.minLength),
            maxLength: str(q.maxLength),
            min: str(q.min),
            max: str(q.max),
          }
        : emptyDraft,
    );
  }

  async function save(event: FormEvent) {
    event.preventDefault();
    const problems = draftProblems(draft);
    if (Object.keys(problems).length)
      return saving.fail("Fix the highlighted field, then save the question.", problems);
    const saved = await saving.run(
      async () => {
        if (editing === "new") {
          const { question } = await apiFetch<{ question: QuestionRow }>(url, {
            method: "POST",
            body: toInput(draft, extended),
          });
          setQuestions((all) => [...all, question]);
        } else if (editing) {
          const { question } = await apiFetch<{ question: QuestionRow }>(`${url}/${editing}`, {
            method: "PUT",
            body: toInput(draft, extended),
          });
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

  async function move(index: number, by: -1 | 1) {
    const order = questions.map((q) => q.id);
    const [moved] = order.splice(index, 1);
    order.splice(index + by, 0, moved!);
    try {
      const { questions: next } = await apiFetch<{ questions: QuestionRow[] }>(`${url}/order`, {
        method: "PUT",
        body: { questionIds: order },
      });
      setQuestions(next);
    } catch (e) {
      toast.show(describeApiError(e), "danger");
    }
  }

  const optionsError =
    saving.fieldErrors.options ?? Object.entries(saving.fieldErrors).find(([k]) => k.startsWith("options."))?.[1];
  const form = (
    <form
      onSubmit={save}
      className={`${formStyles.form} ${styles.editor}`}
      noValidate
      aria-label={editing === "new" ? "New question" : "Edit question"}
      ref={saving.bindForm}
    >
      <Field label="Question" error={saving.fieldErrors.label} limit={{ used: draft.label.length, max: LABEL_MAX }}>
        {(p) => (
          <input
            {...p}
            className={inputClass}
            value={draft.label}
            maxLength={LABEL_MAX}
            onChange={(e) => setDraft({ ...draft, label: e.target.value })}
            autoFocus
          />
        )}
      </Field>
      <Field label="Answer type">
        {(p) => (
          <select
            {...p}
            className={inputClass}
            value={draft.kind}
            onChange={(e) => setDraft({ ...draft, kind: e.target.value as Draft["kind"] })}
          >
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
            {(p) => (
              <input
                {...p}
                className={inputClass}
                value={draft.key}
                maxLength={50}
                onChange={(e) => setDraft({ ...draft, key: e.target.value })}
              />
            )}
          </Field>
          <Field label="Help text" hint="Shown under the question.">
            {(p) => (
              <input
                {...p}
                className={inputClass}
                value={draft.helpText}
                maxLength={500}
                onChange={(e) => setDraft({ ...draft, helpText: e.target.value })}
              />
            )}
          </Field>
          {draft.kind === "NUMBER" ? (
            <div className={formStyles.row}>
              <Field label="Smallest">
                {(p) => (
                  <input
                    {...p}
                    type="number"
                    className={inputClass}
                    value={draft.min}
                    onChange={(e) => setDraft({ ...draft, min: e.target.value })}
                  />
                )}
              </Field>
              <Field label="Largest">
                {(p) => (
                  <input
                    {...p}
                    type="number"
                    className={inputClass}
                    value={draft.max}
                    onChange={(e) => setDraft({ ...draft, max: e.target.value })}
                  />
                )}
              </Field>
            </div>
          ) : draft.kind === "SHORT_TEXT" || draft.kind === "LONG_TEXT" || draft.kind === "URL" ? (
            <div className={formStyles.row}>
              {draft.kind !== "URL" ? (
                <Field label="At least (characters)">
                  {(p) => (
                    <input
                      {...p}
                      type="number"
                      min={0}
                      className={inputClass}
                      value={draft.minLength}
                      onChange={(e) => setDraft({ ...draft, minLength: e.target.value })}
                    />
                  )}
                </Field>
              ) : null}
              <Field label="At most (characters)">
                {(p) => (
                  <input
                    {...p}
                    type="number"
                    min={1}
                    className={inputClass}
                    value={draft.maxLength}
                    onChange={(e) => setDraft({ ...draft, maxLength: e.target.value })}
                  />
                )}
              </Field>
            </div>
          ) : null}
        </>
      ) : null}
      {isChoice(draft.kind) ? (
        <Field
          label="Choices"
          hint={`One per line: at least two, at most 20, each up to ${CHOICE_MAX} characters.`}
          error={optionsError}
        >
          {(p) => (
            <textarea
              {...p}
              className={inputClass}
              value={draft.options}
              onChange={(e) => setDraft({ ...draft, options: e.target.value })}
              rows={4}
            />
          )}
        </Field>
      ) : null}
      <label className={formStyles.check}>
        <input
          type="checkbox"
          checked={draft.required}
          onChange={(e) => setDraft({ ...draft, required: e.target.checked })}
        />
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
      {questions.length === 0 && editing !== "new" ? (
        <EmptyState title="No questions">
          Applicants only confirm their Discord account. Add a question to learn more about them.
        </EmptyState>
      ) : null}
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
                    {isChoice(q.kind) ? <span className={styles.muted}>{q.options.join(" · ")}</span> : null}
                  </div>
                </div>
                <div className={styles.questionActions}>
                  {extended ? (
                    <>
                      <Button
                        size="sm"
                        variant="ghost"
                        onClick={() => void move(i, -1)}
                        disabled={editing !== null || i === 0}
                        aria-label={`Move “${q.label}” up`}
                      >
                        ↑
                      </Button>
                      <Button
                        size="sm"
                        variant="ghost"
                        onClick={() => void move(i, 1)}
                        disabled={editing !== null || i === questions.length - 1}
                        aria-label={`Move “${q.label}” down`}
                      >
                        ↓
                      </Button>
                    </>
                  ) : null}
                  <Button
                    size="sm"
                    onClick={() => open(q)}
                    aria-label={`Edit “${q.label}”`}
                    disabled={editing !== null}
                  >
                    Edit
                  </Button>
                  <Button
                    size="sm"
                    variant="ghost"
                    onClick={() => void archive(q)}
                    aria-label={`Remove “${q.label}”`}
                    disabled={editing !== null || archiving.pending}
                  >
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
