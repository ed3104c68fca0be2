// GET /api/orgs/[slug]/questions : the questions applicants are asked, in order.
// POST : add a question ({ label, kind, required, maxLength | options }).
import { json, readJson } from "@/lib/http/route";
import { createQuestion, listQuestions, questionInputSchema } from "@/lib/questions/questions";
import { auditActorOf, withAuth } from "@/lib/security/guard";

export const GET = withAuth<{ slug: string }>(
  { auth: "session", permission: "questions:manage" },
  async (_request, ctx) => {
    const questions = await listQuestions({ organizationId: ctx.organization.id });
    return json({ questions }, { requestId: ctx.requestId });
  },
);

export const POST = withAuth<{ slug: string }>(
  { auth: "session", permission: "questions:manage" },
  async (request, ctx) => {
    const input = await readJson(request, questionInputSchema);
    const question = await createQuestion({ organizationId: ctx.organization.id, input, actor: auditActorOf(ctx) });
    return json({ question }, { status: 201, requestId: ctx.requestId });
  },
);
