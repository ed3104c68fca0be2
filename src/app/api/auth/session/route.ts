// The dashboard's client session store reads who is signed in and where from here.
import { json, route } from "@/lib/http/route";
import { listUserOrganizations } from "@/lib/organizations/list-user-organizations";
import { getSession } from "@/lib/security/session";

export const dynamic = "force-dynamic";

export const GET = route(async (request) => {
  const resolved = await getSession({ request });
  if (!resolved) return json({ user: null, organizations: [] });
  const { user } = resolved;
  const organizations = await listUserOrganizations({ userId: user.id });
  const headers: Record<string, string> = resolved.renewedCookie ? { "Set-Cookie": resolved.renewedCookie } : {};
  return json(
    { user: { id: user.id, name: user.name, avatar: user.avatar, discordUserId: user.discordUserId }, organizations },
    { headers },
  );
});
