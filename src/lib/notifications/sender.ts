// How a decision message reaches Discord: the guild's own bot (or the platform bot for a guild without one) opens
// a DM channel with the applicant and posts there, or posts in the log channel. Plain text only, and
// allowed_mentions parse [] so not even a mention left in a template can ping anyone. Each post carries the
// message's nonce with enforce_nonce (src/lib/discord/message-nonce.ts), so a job run again after Discord accepted
// its post gets that message back instead of sending a second one. Targets are branded values only
// bot-connection/guild-resources.ts makes, so a bare id from a tenant cannot reach Discord from here.
import type { DmRecipient, GuildChannel } from "@/lib/bot-connection/guild-resource-types";
import { createDiscordClient } from "@/lib/discord/client";

export type MessageSender = {
  sendDirect(input: {
    /** Resolved by bot-connection/guild-resources.ts (never a bare user id): signed in to apply, or in the guild. */
    recipient: DmRecipient;
    content: string;
    /** Stable for this message across attempts (messageNonce). */
    nonce: string;
  }): Promise<{ messageId: string; channelId: string }>;
  postToChannel(input: {
    /** Resolved by bot-connection/guild-resources.ts (never a bare channel id): a channel of the organization's guild. */
    channel: GuildChannel;
    content: string;
    nonce: string;
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
  return {
    async sendDirect({ recipient, content, nonce }) {
      const client = await clientFor(recipient.guildId);
      // Discord answers the same DM channel for the same bot and user, so the nonce dedupes across runs.
      const channel = await client.createDM(recipient.userId);
      const message = await client.createMessage(channel.id, messageBody({ content, nonce }));
      return { messageId: message.id, channelId: channel.id };
    },
    async postToChannel({ channel, content, nonce }) {
      const client = await clientFor(channel.guildId);
      const message = await client.createMessage(channel.id, messageBody({ content, nonce }));
      return { messageId: message.id };
    },
  };
}
