// Discord's JSON shapes for the model's objects (checked against Discord's OpenAPI description in a test).
import type { FakeChannel, FakeGuild, FakeMember, FakeMessage, FakeRole, FakeUser } from "./model";

export function renderUser(user: FakeUser) {
  return {
    id: user.id,
    username: user.username,
    avatar: user.avatar,
    discriminator: "0",
    public_flags: 0,
    flags: 0,
    ...(user.bot ? { bot: true } : {}),
    banner: null,
    accent_color: null,
    global_name: user.globalName,
    avatar_decoration_data: null,
    collectibles: null,
    primary_guild: null,
  };
}

/** `/users/@me`: the user plus the fields only its owner sees (email needs the `email` scope). */
export function renderCurrentUser(user: FakeUser, withEmail: boolean) {
  return {
    ...renderUser(user),
    mfa_enabled: false,
    locale: "en-US",
    premium_type: 0,
    ...(withEmail ? { email: user.email, verified: true } : {}),
  };
}

export function renderRole(role: FakeRole) {
  return {
    id: role.id,
    name: role.name,
    permissions: role.permissions.toString(),
    position: role.position,
    color: role.color,
    colors: { primary_color: role.color, secondary_color: null, tertiary_color: null },
    hoist: role.hoist,
    managed: role.managed,
    mentionable: role.mentionable,
    icon: null,
    unicode_emoji: null,
    ...(role.botId ? { tags: { bot_id: role.botId } } : {}),
    flags: 0,
  };
}

export function sortedRoles(guild: FakeGuild): FakeRole[] {
  return [...guild.roles.values()].sort((a, b) => a.position - b.position || a.id.localeCompare(b.id));
}

export function renderGuild(guild: FakeGuild, withCounts: boolean) {
  return {
    id: guild.id,
    name: guild.name,
    icon: guild.icon,
    description: null,
    home_header: null,
    splash: null,
    discovery_splash: null,
    features: [],
    banner: null,
    owner_id: guild.ownerId,
    application_id: null,
    region: "deprecated",
    afk_channel_id: null,
    afk_timeout: 300,
    system_channel_id: null,
    system_channel_flags: 0,
    widget_enabled: false,
    widget_channel_id: null,
    verification_level: 0,
    roles: sortedRoles(guild).map(renderRole),
    default_message_notifications: 0,
    mfa_level: 0,
    explicit_content_filter: 0,
    max_presences: null,
    max_members: 500000,
    max_stage_video_channel_users: 50,
    max_video_channel_users: 25,
    vanity_url_code: null,
    premium_tier: 0,
    premium_subscription_count: 0,
    preferred_locale: "en-US",
    rules_channel_id: null,
    safety_alerts_channel_id: null,
    public_updates_channel_id: null,
    premium_progress_bar_enabled: false,
    nsfw: false,
    nsfw_level: 0,
    emojis: [],
    stickers: [],
    incidents_data: null,
    ...(withCounts
      ? { approximate_member_count: guild.members.size, approximate_presence_count: Math.ceil(guild.members.size / 2) }
      : {}),
  };
}

/** The partial guild of `/users/@me/guilds`. */
export function renderMyGuild(guild: FakeGuild, userId: string, permissions: bigint) {
  return {
    id: guild.id,
    name: guild.name,
    icon: guild.icon,
    banner: null,
    owner: guild.ownerId === userId,
    permissions: permissions.toString(),
    features: [],
  };
}

export function renderChannel(guild: FakeGuild, channel: FakeChannel) {
  return {
    id: channel.id,
    type: channel.type,
    flags: 0,
    guild_id: guild.id,
    name: channel.name,
    parent_id: channel.parentId,
    position: channel.position,
    permission_overwrites: [],
    nsfw: false,
    ...(channel.type === 0 ? { topic: null, last_message_id: null, rate_limit_per_user: 0 } : {}),
  };
}

export function renderMember(member: FakeMember, user: FakeUser) {
  return {
    avatar: null,
    banner: null,
    communication_disabled_until: null,
    flags: 0,
    joined_at: member.joinedAt,
    nick: member.nick,
    pending: false,
    premium_since: null,
    roles: [...member.roleIds],
    user: renderUser(user),
    mute: false,
    deaf: false,
  };
}

/** Components as Discord returns them: every component numbered (`id`), buttons' defaults filled in. */
function renderComponents(components: Record<string, unknown>[]): Record<string, unknown>[] {
  let next = 1;
  const walk = (c: Record<string, unknown>): Record<string, unknown> => ({
    ...c,
    id: typeof c.id === "number" ? c.id : next++,
    ...(Array.isArray(c.components) ? { components: (c.components as Record<string, unknown>[]).map(walk) } : {}),
  });
  return components.map(walk);
}

/** Embeds as Discord returns them: `type: "rich"`, fields with `inline`. */
function renderEmbeds(embeds: Record<string, unknown>[]): Record<string, unknown>[] {
  return embeds.map((e) => ({
    ...e,
    type: "rich",
    ...(Array.isArray(e.fields)
      ? { fields: (e.fields as Record<string, unknown>[]).map((f) => ({ ...f, inline: f.inline === true })) }
      : {}),
  }));
}

export function renderMessage(message: FakeMessage, author: FakeUser) {
  return {
    id: message.id,
    channel_id: message.channelId,
    type: 0,
    content: message.content,
    author: renderUser(author),
    mentions: [],
    mention_roles: [],
    mention_everyone: false,
    attachments: [],
    embeds: renderEmbeds(message.embeds),
    components: renderComponents(message.components),
    timestamp: message.createdAt,
    edited_timestamp: message.editedAt,
    flags: 0,
    pinned: false,
    tts: false,
    ...(message.nonce === undefined ? {} : { nonce: message.nonce }),
  };
}
