// What the forms routes answer with (dashboard and API tokens alike): the form, its role rule, its questions by key.
import type { ApplicationForm, ApplicationQuestion } from "@/generated/prisma/client";

export function toQuestionDto(q: ApplicationQuestion) {
  return {
    id: q.id,
    key: q.key,
    label: q.label,
    helpText: q.helpText,
    kind: q.kind,
    required: q.required,
    options: q.options,
    minLength: q.minLength,
    maxLength: q.maxLength,
    min: q.minValue,
    max: q.maxValue,
    position: q.position,
  };
}

export function toFormDto(form: ApplicationForm, questions?: ApplicationQuestion[]) {
  return {
    id: form.id,
    slug: form.slug,
    name: form.name,
    description: form.description,
    isOpen: form.isOpen,
    isDefault: form.isDefault,
    roleRule: {
      approveAddRoleIds: form.approveAddRoleIds,
      approveRemoveRoleIds: form.approveRemoveRoleIds,
      rejectAddRoleId: form.rejectAddRoleId,
      restoreOnRevoke: form.restoreOnRevoke,
    },
    /** Who may apply (issue 14); null: the organization's default. */
    requirements: { minAccountAgeDays: form.minAccountAgeDays, rejectCooldownDays: form.rejectCooldownDays },
    ...(questions ? { questions: questions.map(toQuestionDto) } : {}),
    createdAt: form.createdAt.toISOString(),
    updatedAt: form.updatedAt.toISOString(),
  };
}
