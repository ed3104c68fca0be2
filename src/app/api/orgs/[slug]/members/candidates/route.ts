// GET /api/orgs/[slug]/members/candidates?query=al : people in the organization's guild whose name starts with the
// query, to pick when adding a member (members:manage).
import { z } from "zod";
import { json } from "@/lib/http/route";
import { queryText } from "@/lib/http/input";
import { searchGuildMembers } from "@/lib/organizations/guild-member-search";
import { withAuth } from "@/lib/security/guard";

const query = z.object({ query: queryText(32).trim().min(1) });

export const GET = withAuth<{ slug: string }>(
  { auth: "session", permission: "members:manage" },
  async (request, ctx) => {
    const input = query.parse({ query: new URL(request.url).searchParams.get("query") ?? "" });
    return json({ candidates: await searchGuildMembers({ organizationId: ctx.organization.id, query: input.query }) });
  },
);
