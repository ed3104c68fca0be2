// A form's role rule: on approval the roles to add (empty: the connection's approved role) and to remove, on
// rejection an optional role to add, and whether a revocation gives back the removed roles. Saved only when the bot
// can change every named role in the connected guild (checked with Discord at save time).
import { z } from "zod";
import type { ApplicationForm } from "@/generated/prisma/client";
import { recordAudit, type AuditActor } from "@/lib/audit/record-audit";
import { readBotRoleView } from "@/lib/bot-connection/guild-roles";
import { checkRuleRoles, type RoleProblem } from "@/lib/bot-connection/role-rule-check";
import { db as defaultDb } from "@/lib/db";
import { snowflake } from "@/lib/discord/ids";
import { AppError } from "@/lib/errors/app-error";
import { getFormOrThrow } from "./forms";

export const roleRuleInputSchema = z
  .strictObject({
    approveAddRoleIds: z.array(snowflake).max(10).default([]),
    approveRemoveRoleIds: z.array(snowflake).max(10).default([]),
    rejectAddRoleId: snowflake.nullable().default(null),
    restoreOnRevoke: z.boolean().default(true),
  })
  .refine((r) => !r.approveAddRoleIds.some((id) => r.approveRemoveRoleIds.includes(id)), {
    message: "A role cannot be both added and removed.",
    path: ["approveRemoveRoleIds"],
  });
export type RoleRuleInput = z.infer<typeof roleRuleInputSchema>;

/** What an application keeps of its form's rule when it is decided (later edits of the form do not change it). */
export type RoleRuleSnapshot = {
  add: string[];
  remove: string[];
  rejectAdd: string | null;
  restoreOnRevoke: boolean;
  /** Set when a failed approval is rejected: the rejection's job also undoes what that approval changed. */
  rejectUndo?: boolean;
};

export function ruleSnapshot(
  form: Pick<ApplicationForm, "approveAddRoleIds" | "approveRemoveRoleIds" | "rejectAddRoleId" | "restoreOnRevoke">,
  approvedRoleId: string | null,
): RoleRuleSnapshot {
  const add = form.approveAddRoleIds.length ? form.approveAddRoleIds : approvedRoleId ? [approvedRoleId] : [];
  return {
    add: [...add],
    remove: [...form.approveRemoveRoleIds],
    rejectAdd: form.rejectAddRoleId,
    restoreOnRevoke: form.restoreOnRevoke,
  };
}

export type RoleRuleCheckResult = { guildId: string; problems: RoleProblem[] };

/** Reads the guild's roles and the bot's member roles and checks the given roles; Discord trouble is a typed 4xx/502. */
export async function checkRolesAgainstGuild(options: { guildId: string; roleIds: string[] }): Promise<RoleProblem[]> {
  const { roles, botRoleIds } = await readBotRoleView({ guildId: options.guildId });
  return checkRuleRoles({ state: { guildId: options.guildId, roles, botRoleIds }, roleIds: options.roleIds });
}

export type UpdateRoleRuleOptions = {
  organizationId: string;
  slug: string;
  input: RoleRuleInput;
  actor: AuditActor;
  ip?: string | null;
};

export async function updateRoleRule({
  organizationId,
  slug,
  input,
  actor,
  ip,
}: UpdateRoleRuleOptions): Promise<ApplicationForm> {
  const form = await getFormOrThrow({ organizationId, slug });
  const roleIds = [
    ...input.approveAddRoleIds,
    ...input.approveRemoveRoleIds,
    ...(input.rejectAddRoleId ? [input.rejectAddRoleId] : []),
  ];
  const connection = await defaultDb.discordConnection.findUnique({
    where: { organizationId },
    select: { state: true, guildId: true },
  });
  if (roleIds.length) {
    if (!connection || connection.state !== "CONNECTED" || !connection.guildId)
      throw new AppError("conflict", "Connect the bot to a server first.");
    const problems = await checkRolesAgainstGuild({ guildId: connection.guildId, roleIds });
    if (problems.length) {
      const first = problems[0]!;
      throw new AppError(
        "invalid_role_id",
        `The bot cannot change ${first.roleName ? `“${first.roleName}”` : `role ${first.roleId}`}: ${first.problem}`,
        {
          details: problems,
        },
      );
    }
  }
  return defaultDb.$transaction(async (tx) => {
    const updated = await tx.applicationForm.update({
      where: { id: form.id },
      data: {
        approveAddRoleIds: [...new Set(input.approveAddRoleIds)],
        approveRemoveRoleIds: [...new Set(input.approveRemoveRoleIds)],
        rejectAddRoleId: input.rejectAddRoleId,
        restoreOnRevoke: input.restoreOnRevoke,
      },
    });
    await recordAudit({
      db: tx,
      organizationId,
      actor,
      action: "form.role_rule_update",
      targetType: "form",
      targetId: form.id,
      outcome: "SUCCESS",
      metadata: { ...input, previous: ruleSnapshot(form, null) },
      ip,
    });
    return updated;
  });
}
