// How a decision message reaches Discord: the guild's own bot (or the platform bot for a guild without one) opens
// a DM channel with the applicant and posts there, or posts in the log channel. Plain text only, and
// allowed_mentions parse [] so not even a mention left in a template can ping anyone.
import { createDiscordClient } from "@/lib/discord/client";

export type MessageSender = {
  sendDirect(input: {
    guildId: string;
    userId: string;
    content: string;
  }): Promise<{ messageId: string; channelId: string }>;
  postToChannel(input: { guildId: string; channelId: string; content: string }): Promise<{ messageId: string }>;
};

export type DiscordMessageSenderOptions = {
  /** The guild's bot token and its organization (whose invalid-request budget share the calls spend). */
  resolveToken: (guildId: string) => Promise<{ token: string; organizationId: string }>;
  timeoutMs: number;
};

export const messageBody = (content: string) => ({ content, allowed_mentions: { parse: [] as never[] } });

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
    async sendDirect({ guildId, userId, content }) {
      const client = await clientFor(guildId);
      const channel = await client.createDM(userId);
      const message = await client.createMessage(channel.id, messageBody(content));
      return { messageId: message.id, channelId: channel.id };
    },
    async postToChannel({ guildId, channelId, content }) {
      const client = await clientFor(guildId);
      const message = await client.createMessage(channelId, messageBody(content));
      return { messageId: message.id };
    },
  };
}
