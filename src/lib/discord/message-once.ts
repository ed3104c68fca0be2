// Posting a message exactly once, showing what it should, whatever happened to earlier attempts. The nonce
// (message-nonce.ts) leaves two gaps. Discord answers a deduped post with the message created then, not with the
// body just sent, so a retry that carries a newer state must edit it. And the dedupe lasts minutes while our retries
// run for hours, so a retry whose earlier attempt may have reached Discord first looks for that message in the
// channel's history (Discord returns no nonce on reads: the caller says how to recognise its message).
import type { APIMessage, RESTPostAPIChannelMessageJSONBody } from "discord-api-types/v10";
import type { DiscordClient } from "./client";
import { snowflakeFromTimestamp } from "./ids";

/** One page of history per call, and at most this many pages per retry: the look is cheap and bounded. */
export const HISTORY_PAGE = 100;
export const HISTORY_MAX_PAGES = 3;
/** Our clock and Discord's may differ: the look starts this much before the first attempt. */
export const HISTORY_CLOCK_SLACK_MS = 60_000;

export type MessageBody = Pick<
  RESTPostAPIChannelMessageJSONBody,
  "content" | "embeds" | "components" | "allowed_mentions"
>;

export type PostMessageOnceOptions = {
  client: Pick<DiscordClient, "createMessage" | "editMessage" | "getChannelMessages">;
  channelId: string;
  body: MessageBody;
  /** Stable for this message across attempts (messageNonce). */
  nonce: string;
  /** Set when an earlier attempt (started at this time) may have reached Discord: its message is looked for first. */
  earlierAttemptAt: Date | null;
  /** Whether a message read from the channel is this one (by a marker the caller controls). */
  isOurs: (message: APIMessage) => boolean;
};

export type PostMessageOnceResult = {
  messageId: string;
  /** posted: a new message (or the nonce's); found: an earlier attempt's, from the channel's history. */
  how: "posted" | "found";
  /** The message Discord had showed something else and was edited to the body. */
  edited: boolean;
};

export async function postMessageOnce(options: PostMessageOnceOptions): Promise<PostMessageOnceResult> {
  const { client, channelId, body } = options;
  const found = options.earlierAttemptAt
    ? await findEarlierMessage(client, channelId, options.earlierAttemptAt, options.isOurs)
    : null;
  const message =
    found ?? (await client.createMessage(channelId, { ...body, nonce: options.nonce, enforce_nonce: true }));
  const edited = !sameVisibleMessage(body, message);
  if (edited) await client.editMessage(channelId, message.id, editBody(body));
  return { messageId: message.id, how: found ? "found" : "posted", edited };
}

/** The oldest of our messages posted since the earlier attempt (minus clock slack), within a few pages. */
export async function findEarlierMessage(
  client: Pick<DiscordClient, "getChannelMessages">,
  channelId: string,
  since: Date,
  isOurs: (message: APIMessage) => boolean,
): Promise<APIMessage | null> {
  let after = snowflakeFromTimestamp(new Date(since.getTime() - HISTORY_CLOCK_SLACK_MS));
  for (let page = 0; page < HISTORY_MAX_PAGES; page++) {
    // With `after`, Discord answers the messages right after it, newest first.
    const batch = await client.getChannelMessages(channelId, { after, limit: HISTORY_PAGE });
    const ours = batch.filter(isOurs).sort((a, b) => compareIds(a.id, b.id));
    if (ours.length > 0) return ours[0]!;
    if (batch.length < HISTORY_PAGE) return null;
    after = batch.reduce((max, m) => (compareIds(m.id, max) > 0 ? m.id : max), after);
  }
  return null;
}

const compareIds = (a: string, b: string) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0);

/** The edit that makes a message show the body: every visible part, emptied where the body has none. */
function editBody(body: MessageBody): MessageBody {
  return {
    content: body.content ?? "",
    embeds: body.embeds ?? [],
    components: body.components ?? [],
    ...(body.allowed_mentions ? { allowed_mentions: body.allowed_mentions } : {}),
  };
}

type Loose = Record<string, unknown>;
const text = (v: unknown) => (typeof v === "string" ? v.trim() : "");
const list = (v: unknown): Loose[] => (Array.isArray(v) ? (v as Loose[]) : []);

function visibleComponents(components: unknown): unknown[] {
  return list(components).map((c) => ({
    type: c.type ?? null,
    style: c.style ?? null,
    label: text(c.label),
    custom_id: c.custom_id ?? null,
    url: c.url ?? null,
    disabled: c.disabled === true,
    components: visibleComponents(c.components),
  }));
}

/**
 * What a reader sees, compared loosely: Discord adds fields (ids, types, proxies) and trims text, so only the
 * text, embeds' visible parts and the components' kinds, labels, ids and links count.
 */
function visible(message: Loose): string {
  return JSON.stringify({
    content: text(message.content),
    embeds: list(message.embeds).map((e) => ({
      title: text(e.title),
      description: text(e.description),
      url: e.url ?? null,
      color: e.color ?? null,
      footer: text((e.footer as Loose | undefined)?.text),
      fields: list(e.fields).map((f) => [text(f.name), text(f.value), f.inline === true]),
    })),
    components: visibleComponents(message.components),
  });
}

export function sameVisibleMessage(body: MessageBody, message: object): boolean {
  return visible(body as Loose) === visible(message as Loose);
}
