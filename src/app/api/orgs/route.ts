// POST /api/orgs: a signed-in user creates an organization and becomes its OWNER.
import { json, readJson } from "@/lib/http/route";
import { createOrganization, createOrganizationInput } from "@/lib/organizations/create-organization";
import { withAuth } from "@/lib/security/guard";

export const POST = withAuth({ auth: "session" }, async (request, ctx) => {
  const input = await readJson(request, createOrganizationInput, { maxBytes: 4 * 1024 });
  const organization = await createOrganization({ userId: ctx.user.id, input, ip: ctx.ip });
  return json({ organization }, { status: 201 });
});
