// The membership lookup behind every org-scoped guard: one query for the organization by slug and the user's
// membership in it.
import type { MemberRole, OrganizationStatus } from "@/generated/prisma/enums";
import { db as defaultDb, type Db } from "@/lib/db";

export type OrganizationSummary = { id: string; slug: string; name: string; status: OrganizationStatus };

export type OrgAccess =
  | { kind: "member"; organization: OrganizationSummary; role: MemberRole }
  /** The organization exists but the user is not a member: callers answer 404 like for a missing one. */
  | { kind: "not_member"; organization: OrganizationSummary }
  | { kind: "missing" };

export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?$/;

export type FindOrgAccessOptions = { slug: string; userId: string; db?: Db };

export async function findOrgAccess(options: FindOrgAccessOptions): Promise<OrgAccess> {
  if (!SLUG_PATTERN.test(options.slug)) return { kind: "missing" };
  const client = options.db ?? defaultDb;
  const row = await client.organization.findUnique({
    where: { slug: options.slug },
    select: {
      id: true,
      slug: true,
      name: true,
      status: true,
      memberships: { where: { userId: options.userId }, select: { role: true }, take: 1 },
    },
  });
  if (!row) return { kind: "missing" };
  const { memberships, ...organization } = row;
  const membership = memberships[0];
  return membership ? { kind: "member", organization, role: membership.role } : { kind: "not_member", organization };
}

export type FindOrgByIdOptions = { organizationId: string; db?: Db };

export async function findOrganizationById(options: FindOrgByIdOptions): Promise<OrganizationSummary | null> {
  const client = options.db ?? defaultDb;
  return client.organization.findUnique({
    where: { id: options.organizationId },
    select: { id: true, slug: true, name: true, status: true },
  });
}
