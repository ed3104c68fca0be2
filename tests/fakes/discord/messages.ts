// DM channels and channel messages (create, read, edit, delete) with Discord's rules: a guild channel needs View
// Channel and Send Messages (Embed Links for embeds); a DM reaches a user only when they share a guild with the bot
// and have not closed their DMs (50007 otherwise); only the author edits or deletes; Discord's size limits (50035).
// A create with `enforce_nonce` and a nonce the same author used in the same channel within the dedupe window
// answers the message created then and creates nothing; without it the nonce is only echoed. A read of the history
// (limit, before, after) answers newest first, without nonces, and nothing without Read Message History.
import { type ApiContext, type ApiRoute, hasPermission, readJsonBody } from "./api";
import { type FakeMessage, newSnowflake, NONCE_WINDOW_MS, PERMISSIONS } from "./model";
import { renderMessage, renderUser } from "./render";
import { DISCORD_ERRORS, discordError, invalidFormBody, json, noContent } from "./responses";

type ChannelAccess = { guildId: string | null } | Response;

/** May the calling bot use this channel? `send` adds Send Messages; embeds add Embed Links. */
function channelAccess(ctx: ApiContext, needs: { send?: boolean; embeds?: boolean }): ChannelAccess {
  const channelId = ctx.params.channel_id!;
  const dm = ctx.model.dmChannels.get(channelId);
  if (dm) {
    if (dm.botUserId !== ctx.principal.user.id) return discordError(DISCORD_ERRORS.UNKNOWN_CHANNEL);
    if (needs.send && (ctx.model.dmsClosed.has(dm.recipientId) || !ctx.model.shareAGuild(dm.botUserId, dm.recipientId)))
      return discordError(DISCORD_ERRORS.CANNOT_DM_USER);
    return { guildId: null };
  }
  const found = ctx.model.findGuildChannel(channelId);
  if (!found) return discordError(DISCORD_ERRORS.UNKNOWN_CHANNEL);
  const { guild, channel } = found;
  if (!guild.members.has(ctx.principal.user.id)) return discordError(DISCORD_ERRORS.MISSING_ACCESS);
  if (!hasPermission(ctx, guild, PERMISSIONS.VIEW_CHANNEL)) return discordError(DISCORD_ERRORS.MISSING_ACCESS);
  if (needs.send) {
    if (channel.type !== 0 && channel.type !== 5) return discordError(DISCORD_ERRORS.NON_TEXT_CHANNEL);
    if (!hasPermission(ctx, guild, PERMISSIONS.SEND_MESSAGES)) return discordError(DISCORD_ERRORS.MISSING_PERMISSIONS);
    if (needs.embeds && !hasPermission(ctx, guild, PERMISSIONS.EMBED_LINKS))
      return discordError(DISCORD_ERRORS.MISSING_PERMISSIONS);
  }
  return { guildId: guild.id };
}

type MessageBody = { content?: string; embeds?: Record<string, unknown>[]; components?: Record<string, unknown>[] };

const EMBED_LIMITS = { title: 256, description: 4096, fields: 25, name: 256, value: 1024, footer: 2048, author: 256 };
const str = (v: unknown) => (typeof v === "string" ? v : "");

/** Discord's message limits: content 2000, 10 embeds of at most 6000 characters together, 5 action rows. */
function parseMessageBody(body: Record<string, unknown>): MessageBody | Response {
  const out: MessageBody = {};
  if (body.content !== undefined && body.content !== null) {
    if (typeof body.content !== "string") return invalidFormBody("content", "BASE_TYPE_STRING", "Must be a string.");
    if (body.content.length > 2000)
      return invalidFormBody("content", "BASE_TYPE_MAX_LENGTH", "Must be 2000 or fewer in length.");
    out.content = body.content;
  }
  if (body.embeds !== undefined && body.embeds !== null) {
    if (!Array.isArray(body.embeds) || body.embeds.length > 10)
      return invalidFormBody("embeds", "BASE_TYPE_MAX_LENGTH", "Must be 10 or fewer in length.");
    let total = 0;
    for (const [i, embed] of (body.embeds as Record<string, unknown>[]).entries()) {
      const fields = Array.isArray(embed.fields) ? (embed.fields as Record<string, unknown>[]) : [];
      const footer = str((embed.footer as Record<string, unknown> | undefined)?.text);
      const author = str((embed.author as Record<string, unknown> | undefined)?.name);
      const tooLong =
        str(embed.title).length > EMBED_LIMITS.title ||
        str(embed.description).length > EMBED_LIMITS.description ||
        fields.length > EMBED_LIMITS.fields ||
        fields.some((f) => str(f.name).length > EMBED_LIMITS.name || str(f.value).length > EMBED_LIMITS.value) ||
        footer.length > EMBED_LIMITS.footer ||
        author.length > EMBED_LIMITS.author;
      if (tooLong) return invalidFormBody(`embeds.${i}`, "BASE_TYPE_MAX_LENGTH", "Embed field too long.");
      total += str(embed.title).length + str(embed.description).length + footer.length + author.length;
      for (const f of fields) total += str(f.name).length + str(f.value).length;
    }
    if (total > 6000)
      return invalidFormBody("embeds", "MAX_EMBED_SIZE_EXCEEDED", "Embed size exceeds maximum size of 6000");
    out.embeds = body.embeds as Record<string, unknown>[];
  }
  if (body.components !== undefined && body.components !== null) {
    if (!Array.isArray(body.components) || body.components.length > 5)
      return invalidFormBody("components", "BASE_TYPE_MAX_LENGTH", "Must be 5 or fewer in length.");
    out.components = body.components as Record<string, unknown>[];
  }
  return out;
}

/** Discord says "the past few minutes"; the fake's clock (advanceTime) moves past it, or tests set model.nonceWindowMs. */
export const NONCE_DEDUPE_WINDOW_MS = NONCE_WINDOW_MS;
const INT64 = 2n ** 63n;

type NonceFields = { nonce?: string | number; enforce: boolean };

/** The spec's MessageCreateRequest: nonce is an int64 or a string of up to 25; enforce_nonce a boolean. */
function parseNonce(body: Record<string, unknown>): NonceFields | Response {
  const out: NonceFields = { enforce: false };
  const { nonce, enforce_nonce: enforce } = body;
  if (typeof nonce === "string") {
    if (nonce.length > 25) return invalidFormBody("nonce", "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.");
    out.nonce = nonce;
  } else if (typeof nonce === "number") {
    if (!Number.isInteger(nonce) || BigInt(nonce) >= INT64 || BigInt(nonce) < -INT64)
      return invalidFormBody("nonce", "NUMBER_TYPE_COERCE", `Value "${nonce}" is not int.`);
    out.nonce = nonce;
  } else if (nonce !== undefined && nonce !== null) {
    return invalidFormBody("nonce", "BASE_TYPE_STRING", "Must be a string or an integer.");
  }
  if (enforce !== undefined && enforce !== null) {
    if (typeof enforce !== "boolean")
      return invalidFormBody("enforce_nonce", "BASE_TYPE_BOOLEAN", "Must be either true or false.");
    out.enforce = enforce;
  }
  return out;
}

/** The author's message in the channel created with this nonce within the window, if any. */
function sameNonce(ctx: ApiContext, nonce: string | number): FakeMessage | undefined {
  const since = ctx.model.now() - ctx.model.nonceWindowMs;
  return ctx.model
    .channelMessages(ctx.params.channel_id!)
    .find(
      (m) =>
        m.authorId === ctx.principal.user.id &&
        m.nonce !== undefined &&
        String(m.nonce) === String(nonce) &&
        Date.parse(m.createdAt) > since,
    );
}

function isEmpty(m: { content: string; embeds: unknown[]; components: unknown[] }): boolean {
  return m.content === "" && m.embeds.length === 0 && m.components.length === 0;
}

function ownMessage(ctx: ApiContext): FakeMessage | Response {
  const message = ctx.model.messages.get(ctx.params.message_id!);
  if (!message || message.channelId !== ctx.params.channel_id) return discordError(DISCORD_ERRORS.UNKNOWN_MESSAGE);
  if (message.authorId !== ctx.principal.user.id) return discordError(DISCORD_ERRORS.NOT_AUTHOR);
  return message;
}

const render = (ctx: ApiContext, m: FakeMessage) => renderMessage(m, ctx.model.users.get(m.authorId)!);

/** A message as a read returns it: Discord echoes the nonce only in the create's answer (and the gateway event). */
function renderRead(ctx: ApiContext, m: FakeMessage) {
  const { nonce: _nonce, ...read } = render(ctx, m) as ReturnType<typeof render> & { nonce?: unknown };
  return read;
}

function canReadHistory(ctx: ApiContext, guildId: string): boolean {
  const guild = ctx.model.guilds.get(guildId);
  return !!guild && hasPermission(ctx, guild, PERMISSIONS.READ_MESSAGE_HISTORY);
}

type HistoryQuery = { limit: number; before?: bigint; after?: bigint };

/** Get Channel Messages' query: limit 1-100 (default 50), and at most one of before, after (around: not modelled). */
function parseHistoryQuery(params: URLSearchParams): HistoryQuery | Response {
  const out: HistoryQuery = { limit: 50 };
  const limit = params.get("limit");
  if (limit !== null) {
    const n = Number(limit);
    if (!/^\d+$/.test(limit)) return invalidFormBody("limit", "NUMBER_TYPE_COERCE", `Value "${limit}" is not int.`);
    if (n < 1) return invalidFormBody("limit", "NUMBER_TYPE_MIN", "int value should be greater than or equal to 1.");
    if (n > 100) return invalidFormBody("limit", "NUMBER_TYPE_MAX", "int value should be less than or equal to 100.");
    out.limit = n;
  }
  for (const key of ["before", "after"] as const) {
    const value = params.get(key);
    if (value === null) continue;
    if (!/^\d{1,20}$/.test(value))
      return invalidFormBody(key, "NUMBER_TYPE_COERCE", `Value "${value}" is not snowflake.`);
    out[key] = BigInt(value);
  }
  return out;
}

/**
 * Newest first, as Discord answers. `before`: the newest `limit` older than it; `after`: the `limit` right after
 * it (the oldest ones after it), still newest first.
 */
function historyPage(messages: FakeMessage[], query: HistoryQuery): FakeMessage[] {
  const byId = [...messages].sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
  if (query.after !== undefined) {
    return byId
      .filter((m) => BigInt(m.id) > query.after!)
      .slice(0, query.limit)
      .reverse();
  }
  const older = query.before === undefined ? byId : byId.filter((m) => BigInt(m.id) < query.before!);
  return older.reverse().slice(0, query.limit);
}

export const MESSAGE_ROUTES: ApiRoute[] = [
  {
    method: "POST",
    template: "/users/@me/channels",
    botOnly: true,
    handle: async (ctx) => {
      const body = await readJsonBody(ctx.request);
      if (body instanceof Response) return body;
      const recipientId = typeof body.recipient_id === "string" ? body.recipient_id : "";
      if (!/^\d{1,20}$/.test(recipientId))
        return invalidFormBody("recipient_id", "NUMBER_TYPE_COERCE", "Value is not snowflake.");
      const recipient = ctx.model.users.get(recipientId);
      if (!recipient) return discordError(DISCORD_ERRORS.UNKNOWN_USER);
      const dm = ctx.model.openDm(ctx.principal.user.id, recipientId);
      return json({ id: dm.id, type: 1, flags: 0, last_message_id: null, recipients: [renderUser(recipient)] });
    },
  },
  {
    method: "GET",
    template: "/channels/{channel_id}/messages",
    botOnly: true,
    handle: (ctx) => {
      const access = channelAccess(ctx, {});
      if (access instanceof Response) return access;
      const query = parseHistoryQuery(ctx.url.searchParams);
      if (query instanceof Response) return query;
      // Without Read Message History Discord answers no messages (not an error).
      if (access.guildId !== null && !canReadHistory(ctx, access.guildId)) return json([]);
      return json(historyPage(ctx.model.channelMessages(ctx.params.channel_id!), query).map((m) => renderRead(ctx, m)));
    },
  },
  {
    method: "POST",
    template: "/channels/{channel_id}/messages",
    botOnly: true,
    handle: async (ctx) => {
      const raw = await readJsonBody(ctx.request);
      if (raw instanceof Response) return raw;
      const body = parseMessageBody(raw);
      if (body instanceof Response) return body;
      const nonce = parseNonce(raw);
      if (nonce instanceof Response) return nonce;
      const access = channelAccess(ctx, { send: true, embeds: (body.embeds?.length ?? 0) > 0 });
      if (access instanceof Response) return access;
      if (nonce.enforce && nonce.nonce !== undefined) {
        const existing = sameNonce(ctx, nonce.nonce);
        if (existing) return json(render(ctx, existing));
      }
      const message: FakeMessage = {
        id: newSnowflake(),
        channelId: ctx.params.channel_id!,
        guildId: access.guildId,
        authorId: ctx.principal.user.id,
        content: body.content ?? "",
        embeds: body.embeds ?? [],
        components: body.components ?? [],
        createdAt: new Date(ctx.model.now()).toISOString(),
        editedAt: null,
        ...(nonce.nonce === undefined ? {} : { nonce: nonce.nonce }),
      };
      if (isEmpty(message)) return discordError(DISCORD_ERRORS.EMPTY_MESSAGE);
      ctx.model.messages.set(message.id, message);
      return json(render(ctx, message));
    },
  },
  {
    method: "PATCH",
    template: "/channels/{channel_id}/messages/{message_id}",
    botOnly: true,
    handle: async (ctx) => {
      const raw = await readJsonBody(ctx.request);
      if (raw instanceof Response) return raw;
      const body = parseMessageBody(raw);
      if (body instanceof Response) return body;
      const access = channelAccess(ctx, {});
      if (access instanceof Response) return access;
      const message = ownMessage(ctx);
      if (message instanceof Response) return message;
      const next = {
        content: body.content ?? message.content,
        embeds: body.embeds ?? message.embeds,
        components: body.components ?? message.components,
      };
      if (isEmpty(next)) return discordError(DISCORD_ERRORS.EMPTY_MESSAGE);
      Object.assign(message, next, { editedAt: new Date(ctx.model.now()).toISOString() });
      return json(render(ctx, message));
    },
  },
  {
    method: "DELETE",
    template: "/channels/{channel_id}/messages/{message_id}",
    botOnly: true,
    handle: (ctx) => {
      const access = channelAccess(ctx, {});
      if (access instanceof Response) return access;
      const message = ownMessage(ctx);
      if (message instanceof Response) return message;
      ctx.model.messages.delete(message.id);
      return noContent();
    },
  },
];
