// GET /api/v1/forms/[formSlug] (API token, scope applications:read) : one form with its questions and their keys,
// the names POST /api/v1/applications accepts answers under.
import { toFormDto } from "@/lib/forms/dto";
import { getFormOrThrow } from "@/lib/forms/forms";
import { json } from "@/lib/http/route";
import { listQuestions } from "@/lib/questions/questions";
import { withAuth } from "@/lib/security/guard";

export const GET = withAuth<{ formSlug: string }>(
  { auth: "token", scope: "applications:read" },
  async (_request, ctx, params) => {
    const form = await getFormOrThrow({ organizationId: ctx.organization.id, slug: params.formSlug });
    const questions = await listQuestions({ organizationId: ctx.organization.id, formId: form.id });
    return json({ form: toFormDto(form, questions) }, { requestId: ctx.requestId });
  },
);
