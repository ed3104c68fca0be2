// PUT /api/orgs/[slug]/forms/[formSlug]/questions/[questionId] : change a question (old answers keep their wording).
// DELETE : archive it (no longer asked; answers stay readable).
import { toQuestionDto } from "@/lib/forms/dto";
import { json, readJson } from "@/lib/http/route";
import { archiveQuestion, questionInputSchema, updateQuestion } from "@/lib/questions/questions";
import { auditActorOf, withAuth } from "@/lib/security/guard";

type Params = { slug: string; formSlug: string; questionId: string };

export const PUT = withAuth<Params>(
  { auth: "session", permission: "questions:manage" },
  async (request, ctx, params) => {
    const input = await readJson(request, questionInputSchema);
    const question = await updateQuestion({
      organizationId: ctx.organization.id,
      formSlug: params.formSlug,
      questionId: params.questionId,
      input,
      actor: auditActorOf(ctx),
    });
    return json({ question: toQuestionDto(question) }, { requestId: ctx.requestId });
  },
);

export const DELETE = withAuth<Params>(
  { auth: "session", permission: "questions:manage" },
  async (_request, ctx, params) => {
    await archiveQuestion({
      organizationId: ctx.organization.id,
      formSlug: params.formSlug,
      questionId: params.questionId,
      actor: auditActorOf(ctx),
    });
    return new Response(null, { status: 204 });
  },
);
