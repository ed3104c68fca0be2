// The guard of server components (layouts and pages): the same session, membership and permission check as withAuth
// (guard.ts), answered the way pages answer: redirect to sign-in, notFound() for a non-member, forbidden() for a
// member without the permission.
import { headers } from "next/headers";
import { forbidden, notFound, redirect } from "next/navigation";
import { cache } from "react";
import { withOutagePage } from "@/lib/errors/database-unavailable";
import { findOrgAccess } from "@/lib/security/org-access";
import { can, type Permission } from "@/lib/security/authorize";
import { recordDenial, type OrgContext } from "@/lib/security/guard";
import { clientIp } from "@/lib/security/origin";
import { getSession } from "@/lib/security/session";

export type RequireOrgPageOptions = { next?: string };

/** For server components: the OrgContext, or redirect to sign-in, notFound() or forbidden(). */
// The layout and the page both guard one render: React's per-request cache gives them one session lookup and one
// membership query between them (outside a server render it calls through).
const pageSession = cache(() => getSession());
const pageOrgAccess = cache((slug: string, userId: string) => findOrgAccess({ slug, userId }));
// One denial row per request: when both the layout and the page refuse, only the first records it.
const pageDenial = cache((_organizationId: string, _userId: string) => ({ recorded: false }));

export async function requireOrgPage(
  slug: string,
  permission: Permission,
  options: RequireOrgPageOptions = {},
): Promise<OrgContext> {
  const h = await headers();
  const ip = clientIp(new Request("http://internal/", { headers: h }));
  const requestId = h.get("x-request-id") ?? crypto.randomUUID();
  // An outage surfaces as DatabaseUnavailableError: error.tsx shows "temporarily unavailable".
  const resolved = await withOutagePage(() => pageSession());
  if (!resolved) {
    const next = options.next ?? `/dashboard/${encodeURIComponent(slug)}`;
    redirect(`/signin?next=${encodeURIComponent(next)}`);
  }
  const userId = resolved.user.id;
  const access = await withOutagePage(() => pageOrgAccess(slug, userId));
  const path = `/dashboard/${slug}`;
  if (access.kind !== "member") {
    await recordDenial({
      organizationId: access.kind === "not_member" ? access.organization.id : null,
      actor: { userId },
      reason: "not_member",
      permission,
      path,
      ip,
    });
    notFound();
  }
  if (!can(access.role, permission)) {
    const once = pageDenial(access.organization.id, userId);
    if (!once.recorded) {
      once.recorded = true;
      await recordDenial({
        organizationId: access.organization.id,
        actor: { userId },
        reason: "missing_permission",
        permission,
        path,
        ip,
      });
    }
    forbidden();
  }
  return { organization: access.organization, actor: { kind: "user", userId, role: access.role }, requestId, ip };
}
