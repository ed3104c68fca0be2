// Plain-language sentences for every stable code the dashboard can be sent back with. Codes come from the server
// (redirect ?error= values, role-assignment error codes); the sentences say what happened and what to do.

/** Codes `/api/discord/bot-callback` redirects to the settings page with (`?error=<code>`). */
export const BOT_CONNECT_ERRORS: Record<string, { title: string; text: string }> = {
  invalid_state: {
    title: "The connection link was not valid",
    text: "The link from Discord had expired, was already used, or was changed on the way. Nothing was connected. Start again with Connect Discord Bot.",
  },
  unauthorized: {
    title: "You were signed out",
    text: "Your session ended while you were on Discord. Sign in again, then connect the bot.",
  },
  forbidden: {
    title: "You cannot connect the bot for this organization",
    text: "Only owners and admins of this organization can connect its bot, and only for the organization the connection was started from.",
  },
  cancelled: {
    title: "Connection cancelled",
    text: "The bot was not added because the authorization was cancelled on Discord. Connect again when you are ready.",
  },
  connection_in_progress: {
    title: "A connection is already in progress",
    text: "Someone in this organization is connecting the bot right now. Wait a moment; this page updates by itself.",
  },
  already_connected: {
    title: "The bot is already connected",
    text: "This organization already has a connected server. Disconnect it first to connect a different one.",
  },
  no_guild: {
    title: "No server was selected",
    text: "Discord did not say which server the bot was added to. Connect again and pick a server on Discord's page.",
  },
  guild_taken: {
    title: "That server belongs to another organization",
    text: "The server you picked is already connected to a different Guildgate organization. Pick another server, or disconnect it there first.",
  },
  role_creation_failed: {
    title: "The approved role could not be created",
    text: "The bot joined, but could not create the role approvals grant. Give the bot the Manage Roles permission, then retry the connection.",
  },
  save_failed: {
    title: "The connection could not be saved",
    text: "Discord accepted the bot, but saving the connection failed on our side. Retry the connection; nothing is left half-connected.",
  },
  discord_error: {
    title: "Discord did not answer as expected",
    text: "Discord was unavailable or refused the request. Wait a minute and retry the connection.",
  },
  internal_error: {
    title: "Something went wrong on our side",
    text: "Guildgate hit an unexpected error while connecting the bot; Discord was not the problem. Nothing is left half-connected: retry the connection, and if it keeps failing, tell the operator the time it happened.",
  },
};

export function botConnectError(code: string): { title: string; text: string } {
  return (
    BOT_CONNECT_ERRORS[code] ?? {
      title: "The bot could not be connected",
      text: "Something went wrong while connecting the bot. Retry the connection; if it keeps failing, check the audit log.",
    }
  );
}

const SIGN_IN_ERRORS: Record<string, string> = {
  invalid_state: "The sign-in link had expired or was already used. Start again below.",
  cancelled: "Sign-in was cancelled on Discord. Continue with Discord when you are ready.",
  access_denied: "Sign-in was cancelled on Discord. Continue with Discord when you are ready.",
  login_failed: "Discord did not confirm who you are. Wait a moment and try again.",
  not_configured:
    "Sign-in with Discord is not configured on this server yet. Ask the operator to set DISCORD_CLIENT_ID.",
  discord_error: "Discord did not answer as expected. Wait a moment and try again.",
  unauthorized: "Your session has ended. Sign in again to continue.",
};

export function signInErrorMessage(code: string): string {
  return SIGN_IN_ERRORS[code] ?? "Sign-in could not be completed. Try again.";
}

/** Role-assignment failure codes (issue 6) -> what the admin should do. The server's own sentence wins when set. */
export const ROLE_FAILURE_FIXES: Record<string, string> = {
  member_not_in_guild: "The applicant has not joined the server yet. The role is given automatically once they join.",
  missing_permissions:
    "The bot cannot give this role: in Server Settings > Roles, move the bot's role above the approved role, then retry.",
  role_missing: "The approved role no longer exists in the server. Pick or recreate it in Settings, then retry.",
  bot_token_invalid: "The bot's token was rejected by Discord. Update the bot credentials in Settings, then retry.",
  guild_not_connected: "No server is connected. Connect the bot in Settings, then retry.",
  invalid_discord_user_id: "The applicant's Discord account id is not valid, so no role can be given.",
  rate_limited: "Discord kept rate-limiting the bot. Retry in a minute.",
  discord_unavailable: "Discord was unavailable. Retry in a minute.",
  timeout: "Discord did not answer in time. Retry in a minute.",
};

export function roleFailureText(code: string | null, message: string | null): string {
  if (message) return message;
  return (
    (code && ROLE_FAILURE_FIXES[code]) ??
    "The role could not be given. Retry, or check the bot's permissions in Settings."
  );
}
