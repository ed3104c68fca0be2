// GET /api/orgs/[slug]/forms/[formSlug]/questions : the form's questions, in order.
// POST : add one ({ label, kind, key?, helpText?, required, ... }); 409 already_exists for a key in use.
import { toQuestionDto } from "@/lib/forms/dto";
import { json, readJson } from "@/lib/http/route";
import { createQuestion, listQuestions, questionInputSchema } from "@/lib/questions/questions";
import { auditActorOf, withAuth } from "@/lib/security/guard";

type Params = { slug: string; formSlug: string };

export const GET = withAuth<Params>(
  { auth: "session", permission: "questions:manage" },
  async (_request, ctx, params) => {
    const questions = await listQuestions({ organizationId: ctx.organization.id, formSlug: params.formSlug });
    return json({ questions: questions.map(toQuestionDto) }, { requestId: ctx.requestId });
  },
);

export const POST = withAuth<Params>(
  { auth: "session", permission: "questions:manage" },
  async (request, ctx, params) => {
    const input = await readJson(request, questionInputSchema);
    const question = await createQuestion({
      organizationId: ctx.organization.id,
      formSlug: params.formSlug,
      input,
      actor: auditActorOf(ctx),
    });
    return json({ question: toQuestionDto(question) }, { status: 201, requestId: ctx.requestId });
  },
);
