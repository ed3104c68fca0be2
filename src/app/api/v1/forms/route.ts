// GET /api/v1/forms (API token, scope applications:read) : the organization's forms, without questions.
import { toFormDto } from "@/lib/forms/dto";
import { listForms } from "@/lib/forms/forms";
import { json } from "@/lib/http/route";
import { withAuth } from "@/lib/security/guard";

export const GET = withAuth<Record<string, string>>(
  { auth: "token", scope: "applications:read" },
  async (_request, ctx) => {
    const forms = await listForms({ organizationId: ctx.organization.id });
    return json({ forms: forms.map((f) => toFormDto(f)) }, { requestId: ctx.requestId });
  },
);
