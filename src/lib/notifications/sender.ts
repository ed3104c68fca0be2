// How a decision message reaches Discord: the guild's own bot (or the platform bot for a guild without one) opens
// a DM channel with the applicant and posts there, or posts in the log channel. Plain text only, and
// allowed_mentions parse [] so not even a mention left in a template can ping anyone. Each post goes through
// postMessageOnce (src/lib/discord/message-once.ts): the message's nonce with enforce_nonce, and on a retry a look
// at the channel's last messages for the same text first, so a job run again after Discord accepted its post, however
// much later, adopts that message instead of sending a second one (and edits one that shows another text). Targets
// are branded values only bot-connection/guild-resources.ts makes, so a bare id from a tenant cannot reach Discord.
import type { APIMessage } from "discord-api-types/v10";
import type { DmRecipient, GuildChannel } from "@/lib/bot-connection/guild-resource-types";
import { createDiscordClient } from "@/lib/discord/client";
import { postMessageOnce } from "@/lib/discord/message-once";

export type MessageSender = {
  sendDirect(input: {
    /** Resolved by bot-connection/guild-resources.ts (never a bare user id): signed in to apply, or in the guild. */
    recipient: DmRecipient;
    content: string;
    /** Stable for this message across attempts (messageNonce). */
    nonce: string;
    /** When the message was written, if an earlier attempt may have reached Discord: its post is looked for first. */
    earlierAttemptSince?: Date | null;
  }): Promise<{ messageId: string; channelId: string }>;
  postToChannel(input: {
    /** Resolved by bot-connection/guild-resources.ts (never a bare channel id): a channel of the organization's guild. */
    channel: GuildChannel;
    content: string;
    nonce: string;
    earlierAttemptSince?: Date | null;
  }): Promise<{ messageId: string }>;
};

export type DiscordMessageSenderOptions = {
  /** The guild's bot token and its organization (whose invalid-request budget share the calls spend). */
  resolveToken: (guildId: string) => Promise<{ token: string; organizationId: string }>;
  timeoutMs: number;
};

export type MessageBodyOptions = { content: string; nonce: string };

export const messageBody = ({ content, nonce }: MessageBodyOptions) => ({
  content,
  allowed_mentions: { parse: [] as never[] },
  nonce,
  enforce_nonce: true,
});

/** A bot's message with this text: decision messages are plain text, and a DM channel has one bot in it. */
const sameText = (content: string) => (message: APIMessage) =>
  message.author.bot === true && message.content.trim() === content.trim();

type PostInput = { channelId: string; content: string; nonce: string; earlierAttemptSince?: Date | null };

export function createDiscordMessageSender(options: DiscordMessageSenderOptions): MessageSender {
  const clientFor = async (guildId: string) => {
    const { token, organizationId } = await options.resolveToken(guildId);
    return createDiscordClient({
      token,
      kind: "Bot",
      timeoutMs: options.timeoutMs,
      caller: { purpose: "tenant", organizationId },
    });
  };
  const post = (client: Awaited<ReturnType<typeof clientFor>>, input: PostInput) =>
    postMessageOnce({
      client,
      channelId: input.channelId,
      body: messageBody(input),
      nonce: input.nonce,
      earlierAttemptAt: input.earlierAttemptSince ?? null,
      isOurs: sameText(input.content),
    });
  return {
    async sendDirect({ recipient, ...input }) {
      const client = await clientFor(recipient.guildId);
      // Discord answers the same DM channel for the same bot and user, so the nonce dedupes across runs.
      const channel = await client.createDM(recipient.userId);
      const { messageId } = await post(client, { ...input, channelId: channel.id });
      return { messageId, channelId: channel.id };
    },
    async postToChannel({ channel, ...input }) {
      const client = await clientFor(channel.guildId);
      const { messageId } = await post(client, { ...input, channelId: channel.id });
      return { messageId };
    },
  };
}
