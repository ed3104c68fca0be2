// "A Discord resource of this organization" (issue 23). A channel or user id a tenant supplies is only a claim: the
// shared platform bot sits in many guilds, so posting, inviting or DMing by a bare id lets one tenant act in
// another's guild. Here such an id is resolved against the organization's connected guild as its bot sees it, and
// only this module makes the branded values (GuildChannel, DmRecipient) that the code which posts, invites or DMs
// accepts: the compiler refuses a bare string there. Resolved when settings are saved, and again when used (a
// stored id may have gone stale, or predate this check).
import { ChannelType, type RESTGetAPIGuildChannelsResult } from "discord-api-types/v10";
import { db as defaultDb, type Db } from "@/lib/db";
import { isDiscordFailure, isDiscordStatus, toBudgetAppError } from "@/lib/discord/errors";
import { getGuildDiscordClient } from "@/lib/discord/guild-client";
import { AppError } from "@/lib/errors/app-error";
import { cachedBotRead, keepBotRead, peekBotRead } from "./discord-reads";
import type { DmRecipient, GuildChannel } from "./guild-resource-types";

export type { DmRecipient, GuildChannel } from "./guild-resource-types";

export type GuildChannelEntry = { id: string; name: string; type: number; position: number };

/** Channels posts go to (log and review channels): text and announcement. */
export const POSTABLE_CHANNEL_TYPES: readonly number[] = [ChannelType.GuildText, ChannelType.GuildAnnouncement];
/** Channels an invite may lead to (Discord refuses categories). */
export const INVITABLE_CHANNEL_TYPES: readonly number[] = [
  ChannelType.GuildText,
  ChannelType.GuildAnnouncement,
  ChannelType.GuildVoice,
  ChannelType.GuildStageVoice,
  ChannelType.GuildForum,
];

export type ConnectedGuildOptions = { organizationId: string; db?: Db };

/** The organization's connected guild, or a 409 telling the admin to connect one. */
export async function connectedGuildId({ organizationId, db = defaultDb }: ConnectedGuildOptions): Promise<string> {
  const connection = await db.discordConnection.findUnique({
    where: { organizationId },
    select: { state: true, guildId: true },
  });
  if (!connection?.guildId || connection.state !== "CONNECTED")
    throw new AppError("conflict", "Connect the bot to a server first.");
  return connection.guildId;
}

const channelsKey = (organizationId: string, guildId: string) => `guild-channels:${organizationId}:${guildId}`;

function toEntry(c: RESTGetAPIGuildChannelsResult[number]): GuildChannelEntry {
  return {
    id: c.id,
    name: "name" in c && c.name ? c.name : c.id,
    type: c.type,
    position: "position" in c && typeof c.position === "number" ? c.position : 0,
  };
}

async function readChannels(guildId: string, userId: string | null): Promise<GuildChannelEntry[]> {
  try {
    const { client } = await getGuildDiscordClient({ guildId, timeoutMs: 8_000, userId });
    const channels = await client.getGuildChannels(guildId);
    return channels.map(toEntry).sort((a, b) => a.position - b.position);
  } catch (error) {
    const refusal = toBudgetAppError(error);
    if (refusal) throw refusal;
    if (isDiscordFailure(error))
      throw new AppError("discord_error", "Discord could not list the server's channels. Try again in a minute.", {
        cause: error,
      });
    throw error;
  }
}

export type ListGuildChannelsOptions = {
  organizationId: string;
  guildId: string;
  userId?: string | null;
  fresh?: boolean;
};

/** The guild's channels as its bot sees them (kept 30 s, reads limited per organization: discord-reads.ts). */
export function listGuildChannels(options: ListGuildChannelsOptions): Promise<GuildChannelEntry[]> {
  return cachedBotRead({
    key: channelsKey(options.organizationId, options.guildId),
    organizationId: options.organizationId,
    fresh: options.fresh,
    read: () => readChannels(options.guildId, options.userId ?? null),
  });
}

export type ChannelUse = "log" | "review" | "invite";

const CHANNEL_TYPES: Record<ChannelUse, readonly number[]> = {
  log: POSTABLE_CHANNEL_TYPES,
  review: POSTABLE_CHANNEL_TYPES,
  invite: INVITABLE_CHANNEL_TYPES,
};

function brandChannel(guildId: string, entry: GuildChannelEntry): GuildChannel {
  return { guildId, id: entry.id, name: entry.name } as GuildChannel;
}

export type ResolveGuildChannelOptions = {
  organizationId: string;
  channelId: string;
  use: ChannelUse;
  /** The signed-in user the check is made for: their share of Discord's invalid-request budget is spent too. */
  userId?: string | null;
  /** The field the id came in, for the error's details. */
  field?: string;
  db?: Db;
};

/**
 * The channel, when it is one of the organization's guild (a cached list answers yes; a no is asked again of
 * Discord, since a channel made a moment ago is not in the cache). Otherwise 400 `channel_not_in_guild`.
 */
export async function resolveGuildChannel(options: ResolveGuildChannelOptions): Promise<GuildChannel> {
  const guildId = await connectedGuildId(options);
  const read = (fresh: boolean) =>
    listGuildChannels({ organizationId: options.organizationId, guildId, userId: options.userId, fresh });
  const fits = (c: GuildChannelEntry) => c.id === options.channelId && CHANNEL_TYPES[options.use].includes(c.type);
  const entry = (await read(false)).find(fits) ?? (await read(true)).find(fits);
  if (!entry) throw notInGuild(options.use === "invite" ? "a channel" : "a text channel", options.field ?? "channelId");
  return brandChannel(guildId, entry);
}

export type PickGuildChannelOptions = {
  guildId: string;
  /** The guild's postable channels as just read through its bot (the review settings read them with permissions). */
  channels: readonly { id: string; name: string }[];
  channelId: string;
  field: string;
};

/** The channel among the guild's own, read by the caller; otherwise 400 `channel_not_in_guild`. */
export function pickGuildChannel(options: PickGuildChannelOptions): GuildChannel {
  const entry = options.channels.find((c) => c.id === options.channelId);
  if (!entry) throw notInGuild("a text channel", options.field);
  return { guildId: options.guildId, id: entry.id, name: entry.name } as GuildChannel;
}

function notInGuild(what: string, field: string): AppError {
  return new AppError("channel_not_in_guild", `That channel is not ${what} of the connected server.`, {
    details: [{ path: field, message: `Pick ${what} of the connected server.` }],
  });
}

export type CheckStoredChannelOptions = { organizationId: string; guildId: string; channelId: string; use: ChannelUse };

/**
 * Use time (a job, no signed-in user): the stored channel if it is still one of the guild's, else null. A cached
 * yes is kept (a channel never moves to another guild); a no is read again, and kept, without the per-organization
 * read limit, which is for people reloading pages, not for jobs.
 */
export async function checkStoredChannel(options: CheckStoredChannelOptions): Promise<GuildChannel | null> {
  const key = channelsKey(options.organizationId, options.guildId);
  const fits = (c: GuildChannelEntry) => c.id === options.channelId && CHANNEL_TYPES[options.use].includes(c.type);
  const cached = peekBotRead<GuildChannelEntry[]>(key)?.find(fits);
  if (cached) return brandChannel(options.guildId, cached);
  const channels = await readChannelsForJob(options.guildId);
  keepBotRead(key, channels);
  const entry = channels.find(fits);
  return entry ? brandChannel(options.guildId, entry) : null;
}

/** The job's read: Discord and token errors pass through unchanged, for the job's own classification. */
async function readChannelsForJob(guildId: string): Promise<GuildChannelEntry[]> {
  const { client } = await getGuildDiscordClient({ guildId, timeoutMs: 8_000 });
  const channels = await client.getGuildChannels(guildId);
  return channels.map(toEntry).sort((a, b) => a.position - b.position);
}

export type CheckDmRecipientOptions = {
  guildId: string;
  userId: string;
  /** The application's id was proven by Discord sign-in (submitted on the apply page: source WEB). */
  signedIn: boolean;
};

/**
 * Whom a decision DM may go to: the applicant who signed in through Discord to apply, or a member of the
 * organization's guild (asked of its bot). Anyone else (an id an API client named) is null: the platform bot is
 * shared, so a DM must never reach someone who has nothing to do with the organization.
 */
export async function checkDmRecipient(options: CheckDmRecipientOptions): Promise<DmRecipient | null> {
  const recipient = { guildId: options.guildId, userId: options.userId } as DmRecipient;
  if (options.signedIn) return recipient;
  try {
    const { client } = await getGuildDiscordClient({ guildId: options.guildId, timeoutMs: 8_000 });
    await client.getGuildMember(options.guildId, options.userId);
    return recipient;
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}

/** Discord's 404 (Unknown Member / Unknown User), by status on the error's own fields. */
function isNotFound(error: unknown): boolean {
  return isDiscordStatus(error, 404);
}
