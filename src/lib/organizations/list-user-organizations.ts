import type { MemberRole } from "@/generated/prisma/enums";
import { db as defaultDb, type Db } from "@/lib/db";
import { permissionsOf, type Permission } from "@/lib/security/authorize";

/** `permissions` lets the client hide what the role cannot do; the server checks again on every request. */
export type UserOrganization = { slug: string; name: string; role: MemberRole; permissions: Permission[] };
export type ListUserOrganizationsOptions = { userId: string; db?: Db };

/** The organizations a user belongs to, with their role, by name. */
export async function listUserOrganizations(options: ListUserOrganizationsOptions): Promise<UserOrganization[]> {
  const client = options.db ?? defaultDb;
  const rows = await client.membership.findMany({
    where: { userId: options.userId },
    select: { role: true, organization: { select: { slug: true, name: true } } },
    orderBy: { organization: { name: "asc" } },
  });
  return rows.map((r) => ({
    slug: r.organization.slug,
    name: r.organization.name,
    role: r.role,
    permissions: permissionsOf(r.role),
  }));
}
