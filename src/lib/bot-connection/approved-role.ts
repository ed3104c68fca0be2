// The role an approval grants, found by name or created once. Only ever called under the connection lock, so two
// connects of one organization cannot both create it; a reconnect finds the role the first connect made.
// A role with that name carrying a dangerous permission (Administrator, Manage Server, ...) is never adopted: every
// approval would grant it. A fresh role without permissions is created beside it instead.
import type { APIRole } from "discord-api-types/v10";
import type { DiscordClient } from "@/lib/discord/client";
import { isDangerousRole } from "@/lib/discord/permissions";

export type ApprovedRole = { id: string; name: string; created: boolean };

export type FindOrCreateApprovedRoleOptions = { client: DiscordClient; guildId: string; name: string };

/** Several safe roles with the name: the lowest one, the likeliest to sit below the bot's role. */
export function pickRoleByName(roles: APIRole[], name: string): APIRole | undefined {
  return roles
    .filter((r) => r.name === name && !r.managed && r.id !== undefined && !isDangerousRole(r))
    .sort((a, b) => a.position - b.position)[0];
}

export async function findOrCreateApprovedRole(options: FindOrCreateApprovedRoleOptions): Promise<ApprovedRole> {
  const roles = await options.client.getGuildRoles(options.guildId);
  const existing = pickRoleByName(roles, options.name);
  if (existing) return { id: existing.id, name: existing.name, created: false };
  const role = await options.client.createGuildRole(
    options.guildId,
    { name: options.name, permissions: "0", mentionable: false, hoist: false },
    { reason: "Guildgate: role granted to approved applicants" },
  );
  return { id: role.id, name: role.name, created: true };
}
