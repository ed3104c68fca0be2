// A member's permissions in one guild channel, computed the way Discord does: the roles' permissions (Administrator
// means all), then the channel's overwrites for @everyone, for the member's roles (denies, then allows), and for
// the member. https://discord.com/developers/docs/topics/permissions#permission-overwrites
import { type APIOverwrite, type APIRole, OverwriteType, PermissionFlagsBits } from "discord-api-types/v10";

const ALL = (1n << 53n) - 1n;

export type ChannelPermissionsOptions = {
  guildId: string;
  guildOwnerId?: string | null;
  roles: APIRole[];
  memberId: string;
  memberRoleIds: string[];
  overwrites: APIOverwrite[];
};

export function channelPermissions(options: ChannelPermissionsOptions): bigint {
  const { guildId, roles, memberRoleIds, overwrites, memberId } = options;
  if (options.guildOwnerId && options.guildOwnerId === memberId) return ALL;
  const byId = new Map(roles.map((r) => [r.id, r]));
  let base = BigInt(byId.get(guildId)?.permissions ?? "0");
  for (const id of memberRoleIds) base |= BigInt(byId.get(id)?.permissions ?? "0");
  if (base & PermissionFlagsBits.Administrator) return ALL;
  let bits = base;
  const everyone = overwrites.find((o) => o.id === guildId && o.type === OverwriteType.Role);
  if (everyone) bits = (bits & ~BigInt(everyone.deny)) | BigInt(everyone.allow);
  let deny = 0n;
  let allow = 0n;
  for (const o of overwrites) {
    if (o.type === OverwriteType.Role && o.id !== guildId && memberRoleIds.includes(o.id)) {
      deny |= BigInt(o.deny);
      allow |= BigInt(o.allow);
    }
  }
  bits = (bits & ~deny) | allow;
  const own = overwrites.find((o) => o.id === memberId && o.type === OverwriteType.Member);
  if (own) bits = (bits & ~BigInt(own.deny)) | BigInt(own.allow);
  return bits;
}

/** What posting the review message needs in its channel, with the names Discord's settings use. */
export const REVIEW_CHANNEL_NEEDS: { bit: bigint; name: string }[] = [
  { bit: PermissionFlagsBits.ViewChannel, name: "View Channel" },
  { bit: PermissionFlagsBits.SendMessages, name: "Send Messages" },
  { bit: PermissionFlagsBits.EmbedLinks, name: "Embed Links" },
];

export function missingReviewPermissions(bits: bigint): string[] {
  return REVIEW_CHANNEL_NEEDS.filter((n) => (bits & n.bit) === 0n).map((n) => n.name);
}
