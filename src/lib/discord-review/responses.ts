// Interaction answers shared by the handler and the decision.
import { type APIInteractionResponse, InteractionResponseType, MessageFlags } from "discord-api-types/v10";

/** A message only the clicker sees (flags 64), mentioning nobody. */
export const ephemeral = (content: string): APIInteractionResponse => ({
  type: InteractionResponseType.ChannelMessageWithSource,
  data: { content, flags: MessageFlags.Ephemeral, allowed_mentions: { parse: [] } },
});
