// The database side of a role-rule run: which changes an application's job must make (from the rule snapshot taken
// when it was decided) and where the per-role outcomes are kept (Application.roleOutcomes, shown to admins and in
// the API).
import type { Prisma } from "@/generated/prisma/client";
import { db as defaultDb, type Db, type Tx } from "@/lib/db";
import type { RoleRuleSnapshot } from "@/lib/forms/role-rules";
import type { RoleChange, RoleOutcome } from "@/lib/applications/role-jobs/apply-role-rules";

export type StoredRoleOutcome = RoleOutcome & { at: string };

/** The snapshot, or for an application decided before role rules existed: the approved role alone. */
export function snapshotOf(raw: unknown, approvedRoleId: string | null): RoleRuleSnapshot {
  const r = raw as Partial<RoleRuleSnapshot> | null;
  if (r && Array.isArray(r.add)) {
    return {
      add: r.add,
      remove: Array.isArray(r.remove) ? r.remove : [],
      rejectAdd: r.rejectAdd ?? null,
      restoreOnRevoke: r.restoreOnRevoke !== false,
      ...(r.rejectUndo ? { rejectUndo: true } : {}),
    };
  }
  return { add: approvedRoleId ? [approvedRoleId] : [], remove: [], rejectAdd: null, restoreOnRevoke: true };
}

/** An approval: add the rule's roles, remove the rule's roles. */
export function approvalChanges(rule: RoleRuleSnapshot): RoleChange[] {
  return [
    ...rule.add.map((roleId) => ({ roleId, action: "add" as const })),
    ...rule.remove.map((roleId) => ({ roleId, action: "remove" as const })),
  ];
}

/** A revocation undoes the approval: remove what it added, and give back what it removed when the rule says so. */
export function revocationChanges(rule: RoleRuleSnapshot): RoleChange[] {
  return [
    ...rule.add.map((roleId) => ({ roleId, action: "remove" as const })),
    ...(rule.restoreOnRevoke ? rule.remove.map((roleId) => ({ roleId, action: "add" as const })) : []),
  ];
}

export type LoadRuleOptions = { applicationId: string; approvedRoleId: string | null; db?: Db | Tx };

export async function loadRoleRule({
  applicationId,
  approvedRoleId,
  db = defaultDb,
}: LoadRuleOptions): Promise<RoleRuleSnapshot> {
  const row = await db.application.findUnique({ where: { id: applicationId }, select: { roleRule: true } });
  return snapshotOf(row?.roleRule, approvedRoleId);
}

export type RecordOutcomesOptions = { applicationId: string; outcomes: readonly RoleOutcome[]; db?: Db | Tx };

export async function recordRoleOutcomes({
  applicationId,
  outcomes,
  db = defaultDb,
}: RecordOutcomesOptions): Promise<void> {
  const at = new Date().toISOString();
  const stored: StoredRoleOutcome[] = outcomes.map((o) => ({ ...o, at }));
  await db.application.update({
    where: { id: applicationId },
    data: { roleOutcomes: stored as unknown as Prisma.InputJsonValue },
  });
}
