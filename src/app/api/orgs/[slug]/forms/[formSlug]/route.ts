// GET /api/orgs/[slug]/forms/[formSlug] : the form with its questions and their keys. Sessions need
//   questions:manage; API tokens (scope applications:read) call it as GET /api/v1/forms/[formSlug] (a re-export).
// PATCH { name?, slug?, description?, isOpen? } : change it (open/close, rename).
import { formUpdateSchema, getFormOrThrow, updateForm } from "@/lib/forms/forms";
import { toFormDto } from "@/lib/forms/dto";
import { json, readJson } from "@/lib/http/route";
import { listQuestions } from "@/lib/questions/questions";
import { auditActorOf, withAuth } from "@/lib/security/guard";

type Params = { slug: string; formSlug: string };

export const GET = withAuth<{ slug?: string; formSlug: string }>(
  { auth: "either", permission: "questions:manage", scope: "applications:read" },
  async (_request, ctx, params) => {
    const form = await getFormOrThrow({ organizationId: ctx.organization.id, slug: params.formSlug });
    const questions = await listQuestions({ organizationId: ctx.organization.id, formId: form.id });
    return json({ form: toFormDto(form, questions) }, { requestId: ctx.requestId });
  },
);

export const PATCH = withAuth<Params>(
  { auth: "session", permission: "questions:manage" },
  async (request, ctx, params) => {
    const input = await readJson(request, formUpdateSchema);
    const form = await updateForm({
      organizationId: ctx.organization.id,
      slug: params.formSlug,
      input,
      actor: auditActorOf(ctx),
      ip: ctx.ip,
    });
    return json({ form: toFormDto(form) }, { requestId: ctx.requestId });
  },
);
