// Step one of connecting the bot: a state bound to the organization and the admin, and Discord's authorize URL for
// an advanced bot authorization (the token response then names the guild the admin picked).
import { PermissionFlagsBits } from "discord-api-types/v10";
import { env } from "@/lib/env";
import { signStateToken } from "@/lib/security/state-token";
import { botApplicationIdOf } from "@/lib/discord/bot-credentials";

/**
 * What the product needs from the bot: Manage Roles (assign the approved role); View Channels, Send Messages and
 * Embed Links (post each application in the review channel); Read Message History (a post retried after Discord's
 * nonce window first looks for the message already sent, src/lib/discord/message-once.ts); Create Invite (the
 * invite the bot creates for approved applicants who are not in the server yet).
 */
export const BOT_PERMISSIONS =
  PermissionFlagsBits.ManageRoles |
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.CreateInstantInvite;
export const BOT_CALLBACK_PATH = "/api/discord/bot-callback";

export function botRedirectUri(): string {
  return new URL(BOT_CALLBACK_PATH, env.APP_URL).toString();
}

export type StartBotConnectOptions = { organizationId: string; userId: string };

export async function startBotConnect(options: StartBotConnectOptions): Promise<{ authorizeUrl: string }> {
  const applicationId = await botApplicationIdOf({ organizationId: options.organizationId });
  const state = await signStateToken({
    purpose: "bot-connect",
    organizationId: options.organizationId,
    userId: options.userId,
  });
  const url = new URL(env.DISCORD_AUTHORIZE_URL);
  url.search = new URLSearchParams({
    client_id: applicationId,
    response_type: "code",
    scope: "bot identify",
    permissions: BOT_PERMISSIONS.toString(),
    redirect_uri: botRedirectUri(),
    state,
  }).toString();
  return { authorizeUrl: url.toString() };
}
