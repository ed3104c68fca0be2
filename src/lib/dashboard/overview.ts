// The dashboard overview's read model: a few indexed, tenant-scoped queries in parallel.
import type { ApplicationStatus } from "@/generated/prisma/enums";
import { db as defaultDb, type Db } from "@/lib/db";
import { listAudit, type AuditEntry } from "@/lib/audit/list-audit";
import { getBotConnection, type BotConnectionView } from "@/lib/bot-connection/get-connection";
import { waitingToJoinWhere } from "@/lib/applications/role-jobs/recheck-window";

export type FailedAssignment = {
  id: string;
  applicantName: string;
  roleErrorCode: string | null;
  roleErrorMessage: string | null;
  updatedAt: Date;
};

export type Overview = {
  connection: BotConnectionView;
  counts: Record<ApplicationStatus, number>;
  /** Failed assignments that need someone; approvals waiting for the applicant to join are not among them. */
  failed: FailedAssignment[];
  /** Approved applicants not in the server yet, inside the member re-check window: their role follows by itself. */
  waitingToJoin: number;
  recent: AuditEntry[];
};

const ZERO: Record<ApplicationStatus, number> = {
  PENDING: 0,
  APPROVED: 0,
  REJECTED: 0,
  APPROVED_PENDING_ROLE: 0,
  APPROVED_ROLE_ASSIGNED: 0,
  APPROVED_ROLE_FAILED: 0,
  REVOKED_PENDING_ROLE_REMOVAL: 0,
  REVOKED: 0,
  REVOKED_ROLE_REMOVAL_FAILED: 0,
};

export type GetOverviewOptions = { organizationId: string; db?: Db };

export async function getOverview({ organizationId, db = defaultDb }: GetOverviewOptions): Promise<Overview> {
  // The window the sweeper re-checks and the applications list shows (settings.ts).
  const waiting = waitingToJoinWhere();
  const [connection, groups, failed, waitingToJoin, recent] = await Promise.all([
    getBotConnection({ organizationId, db }),
    db.application.groupBy({ by: ["status"], where: { organizationId }, _count: { _all: true } }),
    // Served by the partial index on failed role assignments.
    db.application.findMany({
      where: { organizationId, roleAssignmentStatus: "FAILED", NOT: waiting },
      orderBy: { updatedAt: "desc" },
      take: 5,
      select: { id: true, applicantName: true, roleErrorCode: true, roleErrorMessage: true, updatedAt: true },
    }),
    db.application.count({ where: { organizationId, ...waiting } }),
    listAudit({ organizationId, limit: 8, db }),
  ]);
  const counts = { ...ZERO };
  for (const g of groups) counts[g.status] = g._count._all;
  return { connection, counts, failed, waitingToJoin, recent: recent.items };
}
