// Discord lets a bot give only roles below its own highest role; both the health check and the role picker need it.
import type { APIRole } from "discord-api-types/v10";

/** The bot member's highest role among `roles` (the guild's @everyone role, id = guild id, when it has no other). */
export function highestBotRole(
  roles: readonly APIRole[],
  guildId: string,
  botRoleIds: readonly string[],
): APIRole | undefined {
  const byId = new Map(roles.map((r) => [r.id, r]));
  return [guildId, ...botRoleIds]
    .map((id) => byId.get(id))
    .reduce<APIRole | undefined>((top, r) => (r && (!top || r.position > top.position) ? r : top), undefined);
}
