// PUT /api/orgs/[slug]/forms/[formSlug]/questions/order { questionIds } : the new order (every active question once).
import { toQuestionDto } from "@/lib/forms/dto";
import { json, readJson } from "@/lib/http/route";
import { reorderInputSchema, reorderQuestions } from "@/lib/questions/questions";
import { auditActorOf, withAuth } from "@/lib/security/guard";

type Params = { slug: string; formSlug: string };

export const PUT = withAuth<Params>(
  { auth: "session", permission: "questions:manage" },
  async (request, ctx, params) => {
    const input = await readJson(request, reorderInputSchema);
    const questions = await reorderQuestions({
      organizationId: ctx.organization.id,
      formSlug: params.formSlug,
      questionIds: input.questionIds,
      actor: auditActorOf(ctx),
    });
    return json({ questions: questions.map(toQuestionDto) }, { requestId: ctx.requestId });
  },
);
