// GET /api/orgs/[slug]/forms : the organization's forms (the default one first). Sessions need questions:manage; API
//   tokens (scope applications:read) call it as GET /api/v1/forms (a re-export of this GET).
// POST { name, slug, description?, isOpen? } : a new form (201; 409 already_exists for a taken slug).
import { createForm, formInputSchema, listForms } from "@/lib/forms/forms";
import { toFormDto } from "@/lib/forms/dto";
import { json, readJson } from "@/lib/http/route";
import { auditActorOf, withAuth } from "@/lib/security/guard";

export const GET = withAuth<{ slug?: string }>(
  { auth: "either", permission: "questions:manage", scope: "applications:read" },
  async (_request, ctx) => {
    const forms = await listForms({ organizationId: ctx.organization.id });
    return json({ forms: forms.map((f) => toFormDto(f)) }, { requestId: ctx.requestId });
  },
);

export const POST = withAuth<{ slug: string }>(
  { auth: "session", permission: "questions:manage" },
  async (request, ctx) => {
    const input = await readJson(request, formInputSchema);
    const form = await createForm({ organizationId: ctx.organization.id, input, actor: auditActorOf(ctx), ip: ctx.ip });
    return json({ form: toFormDto(form, []) }, { status: 201, requestId: ctx.requestId });
  },
);
