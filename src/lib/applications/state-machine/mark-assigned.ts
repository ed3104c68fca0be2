// APPROVED_PENDING_ROLE -> APPROVED_ROLE_ASSIGNED, the role job's hot path: the state machine's single-statement
// mode (state-machine.ts), so the change, its audit row and what it owes other systems are one round trip. A lost
// race changes nothing, records the outcomes alone and is reported as a conflict.
import { AppError } from "@/lib/errors/app-error";
import type { RoleOutcome } from "@/lib/applications/role-jobs/apply-role-rules";
import { recordRoleOutcomes, type StoredRoleOutcome } from "@/lib/applications/role-jobs/role-rule-runs";
import { applyTransitionStatement } from "@/lib/applications/state-machine/state-machine";

export type MarkAssignedOptions = {
  application: { id: string; organizationId: string; version: number };
  outcomes: readonly RoleOutcome[];
  /** The audit row's details (attempt, guild, roles). */
  metadata: Record<string, unknown>;
};

export async function markAssigned(options: MarkAssignedOptions): Promise<void> {
  const { id, organizationId, version } = options.application;
  const at = new Date().toISOString();
  const applied = await applyTransitionStatement({
    applicationId: id,
    organizationId,
    from: "APPROVED_PENDING_ROLE",
    to: "APPROVED_ROLE_ASSIGNED",
    expectedVersion: version,
    set: {
      roleAssignmentStatus: "SUCCESS",
      roleOutcomes: options.outcomes.map((o): StoredRoleOutcome => ({ ...o, at })),
      roleAssignedAt: "now",
      roleErrorCode: null,
      roleErrorMessage: null,
    },
    actor: { system: true },
    action: "application.role_assigned",
    metadata: { discord: "assigned", ...options.metadata },
  });
  if (!applied) {
    await recordRoleOutcomes({ applicationId: id, outcomes: options.outcomes });
    throw new AppError("conflict", "The application changed while its role was being assigned.");
  }
}
