// The signed-in user as the dashboard frame shows them (name, avatar, their organizations), in one query.
import type { MemberRole } from "@/generated/prisma/enums";
import { db as defaultDb, type Db } from "@/lib/db";

export type DashboardUser = {
  user: { id: string; name: string; avatar: string | null; discordUserId: string };
  organizations: { slug: string; name: string; role: MemberRole }[];
};

export type GetDashboardUserOptions = { userId: string; db?: Db };

export async function getDashboardUser({
  userId,
  db = defaultDb,
}: GetDashboardUserOptions): Promise<DashboardUser | null> {
  const row = await db.user.findUnique({
    where: { id: userId },
    select: {
      id: true,
      name: true,
      avatar: true,
      discordUserId: true,
      memberships: {
        select: { role: true, organization: { select: { slug: true, name: true } } },
        orderBy: { organization: { name: "asc" } },
      },
    },
  });
  if (!row) return null;
  const { memberships, ...user } = row;
  return {
    user,
    organizations: memberships.map((m) => ({ slug: m.organization.slug, name: m.organization.name, role: m.role })),
  };
}
