// The guild's text channels, for picking the log channel decisions are also posted to. The same read (kept 30 s and
// limited per organization) that checks a saved log channel (src/lib/bot-connection/guild-resources.ts), so the
// picker offers exactly what a save accepts.
import { connectedGuildId, listGuildChannels, POSTABLE_CHANNEL_TYPES } from "@/lib/bot-connection/guild-resources";

export type TextChannelOption = { id: string; name: string; position: number };

export type ListLogChannelsOptions = { organizationId: string; userId?: string | null; fresh?: boolean };

export async function listLogChannels({
  organizationId,
  userId,
  fresh,
}: ListLogChannelsOptions): Promise<TextChannelOption[]> {
  const guildId = await connectedGuildId({ organizationId });
  const channels = await listGuildChannels({ organizationId, guildId, userId, fresh });
  return channels
    .filter((c) => POSTABLE_CHANNEL_TYPES.includes(c.type))
    .map(({ id, name, position }) => ({ id, name, position }));
}
