// Discord permissions a role must not carry for Guildgate to grant it on its own: each lets the holder take over or
// wreck the server (or ping everyone). Listed once, here; the connect flow, the role picker, the assign-role route
// and the role job all ask `dangerousPermissionsOf`. Bits from discord-api-types, so they cannot drift.
import { PermissionFlagsBits } from "discord-api-types/v10";

export const DANGEROUS_PERMISSIONS = [
  "Administrator",
  "ManageGuild",
  "ManageRoles",
  "ManageChannels",
  "ManageWebhooks",
  "ManageGuildExpressions",
  "ManageEvents",
  "ManageThreads",
  "ManageMessages",
  "ManageNicknames",
  "BanMembers",
  "KickMembers",
  "ModerateMembers",
  "MentionEveryone",
  "MoveMembers",
  "MuteMembers",
  "DeafenMembers",
] as const satisfies readonly (keyof typeof PermissionFlagsBits)[];

export type DangerousPermission = (typeof DANGEROUS_PERMISSIONS)[number];

/**
 * The dangerous permissions in a role's permission bit set (Discord sends it as a decimal string). A value that is
 * not a bit set counts as Administrator: a role we cannot read is not one we grant.
 */
export function dangerousPermissionsOf(permissions: string | bigint | null | undefined): DangerousPermission[] {
  let bits: bigint;
  try {
    bits = typeof permissions === "bigint" ? permissions : BigInt(permissions ?? "0");
  } catch {
    return ["Administrator"];
  }
  return DANGEROUS_PERMISSIONS.filter((name) => (bits & PermissionFlagsBits[name]) !== 0n);
}

/** True when the role carries any dangerous permission. */
export function isDangerousRole(role: { permissions?: string | bigint | null }): boolean {
  return dangerousPermissionsOf(role.permissions).length > 0;
}
