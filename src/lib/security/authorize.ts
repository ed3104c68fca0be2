// The one role -> permission table. Nothing else in the code base compares role names: guards and lib functions
// ask `can(role, permission)`.
import type { MemberRole } from "@/generated/prisma/enums";

export const PERMISSIONS = [
  "org:read",
  "bot:manage",
  "applications:review",
  "questions:manage",
  "tokens:manage",
  "members:manage",
  /** Granting, changing or removing the OWNER role: only owners, so an ADMIN cannot promote itself. */
  "owners:manage",
  "audit:read",
  /** Outgoing webhook endpoints: URLs, signing secrets, the delivery log. */
  "webhooks:manage",
  /** What applicants are told (reject reasons, message templates, log channel, invite) and who may apply. */
  "applicants:manage",
] as const;

export type Permission = (typeof PERMISSIONS)[number];

const ALL: readonly Permission[] = PERMISSIONS;

const ROLE_PERMISSIONS: Record<MemberRole, ReadonlySet<Permission>> = {
  OWNER: new Set(ALL),
  ADMIN: new Set(ALL.filter((p) => p !== "owners:manage")),
  REVIEWER: new Set<Permission>(["org:read", "applications:review"]),
};

export function can(role: MemberRole, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].has(permission);
}

/** Every permission a role holds, for the client session store (hiding buttons; the server still checks). */
export function permissionsOf(role: MemberRole): Permission[] {
  return ALL.filter((p) => ROLE_PERMISSIONS[role].has(p));
}
