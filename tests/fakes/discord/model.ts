// The in-memory Discord: applications (with their bot users), users, guilds, roles with positions, members,
// channels, OAuth codes and tokens. Handlers (handlers.ts) read and change it; tests seed it directly.
import { randomBytes } from "node:crypto";

/** Discord permission bits the fake enforces. */
export const PERMISSIONS = {
  ADMINISTRATOR: 1n << 3n,
  MANAGE_GUILD: 1n << 5n,
  VIEW_CHANNEL: 1n << 10n,
  SEND_MESSAGES: 1n << 11n,
  EMBED_LINKS: 1n << 14n,
  READ_MESSAGE_HISTORY: 1n << 16n,
  MANAGE_ROLES: 1n << 28n,
} as const;

const DISCORD_EPOCH = 1420070400000n;
let increment = 0n;

/** A valid snowflake for "now" (timestamp after 2015, not in the future). */
export function newSnowflake(): string {
  increment = (increment + 1n) & 0xfffn;
  return (((BigInt(Date.now()) - DISCORD_EPOCH) << 22n) | (1n << 17n) | increment).toString();
}

export function randomToken(prefix: string): string {
  return `${prefix}.${randomBytes(18).toString("base64url")}`;
}

export type FakeUser = {
  id: string;
  username: string;
  globalName: string | null;
  avatar: string | null;
  bot: boolean;
  email: string | null;
};

export type FakeApplication = {
  id: string;
  name: string;
  secret: string;
  botToken: string;
  botUserId: string;
  /** Empty: any redirect URI is accepted (convenient in tests); otherwise an exact match is required. */
  redirectUris: string[];
};

export type FakeRole = {
  id: string;
  name: string;
  permissions: bigint;
  position: number;
  color: number;
  hoist: boolean;
  managed: boolean;
  mentionable: boolean;
  /** Set for a bot's managed role. */
  botId?: string;
};

export type FakeMember = { userId: string; roleIds: Set<string>; nick: string | null; joinedAt: string };

export type FakeChannel = { id: string; name: string; type: number; position: number; parentId: string | null };

/** A bot's DM channel with one user (type 1). */
export type FakeDmChannel = { id: string; botUserId: string; recipientId: string };

/** A message as stored: the request's embeds and components as sent (rendered with Discord's defaults). */
export type FakeMessage = {
  id: string;
  channelId: string;
  /** Set for a guild channel's message; null in a DM. */
  guildId: string | null;
  authorId: string;
  content: string;
  embeds: Record<string, unknown>[];
  components: Record<string, unknown>[];
  createdAt: string;
  editedAt: string | null;
  /** The nonce it was created with, echoed back as Discord does (and matched by enforce_nonce). */
  nonce?: string | number;
};

export type FakeGuild = {
  id: string;
  name: string;
  ownerId: string;
  icon: string | null;
  roles: Map<string, FakeRole>;
  members: Map<string, FakeMember>;
  channels: Map<string, FakeChannel>;
};

export type AuthorizationCode = {
  code: string;
  applicationId: string;
  userId: string;
  scopes: string[];
  redirectUri: string;
  guildId?: string;
  permissions?: bigint;
  /** PKCE (S256): the token exchange must send the matching code_verifier. */
  codeChallenge?: string;
  expiresAt: number;
};

export type OAuthToken = {
  accessToken: string;
  refreshToken: string;
  applicationId: string;
  userId: string;
  scopes: string[];
  expiresAt: number;
};

export type Principal =
  { kind: "bot"; application: FakeApplication; user: FakeUser } | { kind: "bearer"; token: OAuthToken; user: FakeUser };

export type SeedUserInput = Partial<FakeUser> & { username: string };
export type SeedApplicationInput = Partial<Omit<FakeApplication, "botUserId">> & { name: string };
export type SeedGuildInput = { id?: string; name: string; ownerId: string; icon?: string | null };
export type SeedRoleInput = Partial<Omit<FakeRole, "permissions">> & { name: string; permissions?: bigint | string };
export type SeedChannelInput = Partial<FakeChannel> & { name: string };

/** An access token lives a week, like Discord's. */
export const ACCESS_TOKEN_TTL_S = 604_800;
/** Create Message's nonce dedupe window, as the fake has it by default (5 minutes of its clock). */
export const NONCE_WINDOW_MS = 5 * 60_000;
const CODE_TTL_MS = 10 * 60_000;

export class DiscordModel {
  readonly users = new Map<string, FakeUser>();
  readonly applications = new Map<string, FakeApplication>();
  private readonly botTokenIndex = new Map<string, string>();
  readonly guilds = new Map<string, FakeGuild>();
  readonly codes = new Map<string, AuthorizationCode>();
  readonly accessTokens = new Map<string, OAuthToken>();
  readonly refreshTokens = new Map<string, OAuthToken>();
  readonly dmChannels = new Map<string, FakeDmChannel>();
  /** Every message sent, by id, in the order sent (DMs and guild channels). */
  readonly messages = new Map<string, FakeMessage>();
  /** Users who closed their DMs to server members: sending them a DM is refused with 50007. */
  readonly dmsClosed = new Set<string>();
  /** Tests move time forward to expire tokens and codes. */
  clockOffsetMs = 0;
  /** Lifetime of issued access tokens (tests shorten it to exercise refresh). */
  accessTokenTtlS = ACCESS_TOKEN_TTL_S;
  /** How long Create Message dedupes an enforced nonce (Discord: "the past few minutes"); tests shorten it. */
  nonceWindowMs = NONCE_WINDOW_MS;

  now(): number {
    return Date.now() + this.clockOffsetMs;
  }

  clear(): void {
    this.users.clear();
    this.applications.clear();
    this.botTokenIndex.clear();
    this.guilds.clear();
    this.codes.clear();
    this.accessTokens.clear();
    this.refreshTokens.clear();
    this.dmChannels.clear();
    this.messages.clear();
    this.dmsClosed.clear();
    this.clockOffsetMs = 0;
    this.accessTokenTtlS = ACCESS_TOKEN_TTL_S;
    this.nonceWindowMs = NONCE_WINDOW_MS;
  }

  addUser(input: SeedUserInput): FakeUser {
    const user: FakeUser = {
      id: input.id ?? newSnowflake(),
      username: input.username,
      globalName: input.globalName ?? null,
      avatar: input.avatar ?? null,
      bot: input.bot ?? false,
      email: input.email ?? null,
    };
    this.users.set(user.id, user);
    return user;
  }

  addApplication(input: SeedApplicationInput): FakeApplication {
    const id = input.id ?? newSnowflake();
    const bot = this.addUser({ id, username: input.name.toLowerCase().replace(/\W+/g, "-"), bot: true });
    const app: FakeApplication = {
      id,
      name: input.name,
      secret: input.secret ?? randomBytes(24).toString("base64url"),
      botToken: input.botToken ?? randomToken(Buffer.from(id).toString("base64url")),
      botUserId: bot.id,
      redirectUris: input.redirectUris ?? [],
    };
    this.applications.set(app.id, app);
    this.botTokenIndex.set(app.botToken, app.id);
    return app;
  }

  addGuild(input: SeedGuildInput): FakeGuild {
    const id = input.id ?? newSnowflake();
    const guild: FakeGuild = {
      id,
      name: input.name,
      ownerId: input.ownerId,
      icon: input.icon ?? null,
      roles: new Map(),
      members: new Map(),
      channels: new Map(),
    };
    // @everyone shares the guild's id and sits at position 0 (Read Message History is in Discord's defaults too).
    guild.roles.set(id, {
      id,
      name: "@everyone",
      permissions: PERMISSIONS.VIEW_CHANNEL | PERMISSIONS.SEND_MESSAGES | PERMISSIONS.READ_MESSAGE_HISTORY,
      position: 0,
      color: 0,
      hoist: false,
      managed: false,
      mentionable: false,
    });
    this.guilds.set(id, guild);
    this.addMember(id, input.ownerId);
    return guild;
  }

  /** Adds a role at `position` (default: just above @everyone, moving the others up, as Discord does). */
  addRole(guildId: string, input: SeedRoleInput): FakeRole {
    const guild = this.guildOrThrow(guildId);
    const position = input.position ?? 1;
    for (const role of guild.roles.values()) if (role.position >= position && role.position > 0) role.position++;
    const role: FakeRole = {
      id: input.id ?? newSnowflake(),
      name: input.name,
      permissions: BigInt(input.permissions ?? 0n),
      position,
      color: input.color ?? 0,
      hoist: input.hoist ?? false,
      managed: input.managed ?? false,
      mentionable: input.mentionable ?? false,
      botId: input.botId,
    };
    guild.roles.set(role.id, role);
    return role;
  }

  addMember(guildId: string, userId: string, roleIds: string[] = []): FakeMember {
    const guild = this.guildOrThrow(guildId);
    if (!this.users.has(userId)) throw new Error(`fake: unknown user ${userId}`);
    const member: FakeMember = {
      userId,
      roleIds: new Set(roleIds),
      nick: null,
      joinedAt: new Date(this.now()).toISOString(),
    };
    guild.members.set(userId, member);
    return member;
  }

  addChannel(guildId: string, input: SeedChannelInput): FakeChannel {
    const guild = this.guildOrThrow(guildId);
    const channel: FakeChannel = {
      id: input.id ?? newSnowflake(),
      name: input.name,
      type: input.type ?? 0,
      position: input.position ?? guild.channels.size,
      parentId: input.parentId ?? null,
    };
    guild.channels.set(channel.id, channel);
    return channel;
  }

  /**
   * Puts an application's bot in a guild the way a bot authorization does: a member with a managed role holding
   * `permissions`, placed `rolePosition` (default: the top, so it can manage every other role).
   */
  addBotToGuild(
    guildId: string,
    applicationId: string,
    options: { permissions?: bigint; rolePosition?: number } = {},
  ): FakeRole {
    const guild = this.guildOrThrow(guildId);
    const app = this.applications.get(applicationId);
    if (!app) throw new Error(`fake: unknown application ${applicationId}`);
    const top = Math.max(0, ...[...guild.roles.values()].map((r) => r.position)) + 1;
    const role = this.addRole(guildId, {
      name: app.name,
      permissions: options.permissions ?? PERMISSIONS.MANAGE_ROLES,
      position: options.rolePosition ?? top,
      managed: true,
      botId: app.botUserId,
    });
    this.addMember(guildId, app.botUserId, [role.id]);
    return role;
  }

  removeMember(guildId: string, userId: string): void {
    const guild = this.guildOrThrow(guildId);
    guild.members.delete(userId);
    // Discord deletes a bot's managed role when the bot leaves.
    for (const role of guild.roles.values()) if (role.botId === userId) guild.roles.delete(role.id);
  }

  setDmsClosed(userId: string, closed: boolean): void {
    if (closed) this.dmsClosed.add(userId);
    else this.dmsClosed.delete(userId);
  }

  /** The bot's DM channel with a user, created on first use (Discord returns the same channel every time). */
  openDm(botUserId: string, recipientId: string): FakeDmChannel {
    for (const dm of this.dmChannels.values())
      if (dm.botUserId === botUserId && dm.recipientId === recipientId) return dm;
    const dm: FakeDmChannel = { id: newSnowflake(), botUserId, recipientId };
    this.dmChannels.set(dm.id, dm);
    return dm;
  }

  /** A guild channel and its guild, by channel id. */
  findGuildChannel(channelId: string): { guild: FakeGuild; channel: FakeChannel } | undefined {
    for (const guild of this.guilds.values()) {
      const channel = guild.channels.get(channelId);
      if (channel) return { guild, channel };
    }
    return undefined;
  }

  /** True when both users are members of at least one guild: Discord delivers a bot's DM only then. */
  shareAGuild(a: string, b: string): boolean {
    for (const guild of this.guilds.values()) if (guild.members.has(a) && guild.members.has(b)) return true;
    return false;
  }

  /** Messages of one channel, oldest first. */
  channelMessages(channelId: string): FakeMessage[] {
    return [...this.messages.values()].filter((m) => m.channelId === channelId);
  }

  /** The DMs a user received (from any bot), oldest first. */
  dmsTo(userId: string): FakeMessage[] {
    const channels = new Set([...this.dmChannels.values()].filter((d) => d.recipientId === userId).map((d) => d.id));
    return [...this.messages.values()].filter((m) => channels.has(m.channelId));
  }

  guildOrThrow(guildId: string): FakeGuild {
    const guild = this.guilds.get(guildId);
    if (!guild) throw new Error(`fake: unknown guild ${guildId}`);
    return guild;
  }

  /** Effective guild permissions of a member (owner and ADMINISTRATOR have all). */
  memberPermissions(guild: FakeGuild, userId: string): bigint {
    if (guild.ownerId === userId) return (1n << 50n) - 1n;
    const member = guild.members.get(userId);
    if (!member) return 0n;
    let bits = guild.roles.get(guild.id)?.permissions ?? 0n;
    for (const id of member.roleIds) bits |= guild.roles.get(id)?.permissions ?? 0n;
    return bits & PERMISSIONS.ADMINISTRATOR ? (1n << 50n) - 1n : bits;
  }

  highestRolePosition(guild: FakeGuild, userId: string): number {
    if (guild.ownerId === userId) return Number.MAX_SAFE_INTEGER;
    const member = guild.members.get(userId);
    if (!member) return -1;
    return Math.max(0, ...[...member.roleIds].map((id) => guild.roles.get(id)?.position ?? 0));
  }

  issueCode(input: Omit<AuthorizationCode, "code" | "expiresAt">): AuthorizationCode {
    const code: AuthorizationCode = {
      ...input,
      code: randomBytes(15).toString("base64url"),
      expiresAt: this.now() + CODE_TTL_MS,
    };
    this.codes.set(code.code, code);
    return code;
  }

  issueToken(input: { applicationId: string; userId: string; scopes: string[]; expiresInS?: number }): OAuthToken {
    const token: OAuthToken = {
      accessToken: randomBytes(24).toString("base64url"),
      refreshToken: randomBytes(24).toString("base64url"),
      applicationId: input.applicationId,
      userId: input.userId,
      scopes: input.scopes,
      expiresAt: this.now() + (input.expiresInS ?? this.accessTokenTtlS) * 1000,
    };
    this.accessTokens.set(token.accessToken, token);
    this.refreshTokens.set(token.refreshToken, token);
    return token;
  }

  revokeToken(token: OAuthToken): void {
    this.accessTokens.delete(token.accessToken);
    this.refreshTokens.delete(token.refreshToken);
  }

  /** Who an Authorization header belongs to, or undefined for a missing, unknown or expired token. */
  /**
   * Like Discord, a lookup by token, not a scan of every application per request (benchmarks run a thousand bots).
   * The index is checked on use because tests reset a bot's token in place.
   */
  private applicationByBotToken(token: string): FakeApplication | undefined {
    const indexed = this.applications.get(this.botTokenIndex.get(token) ?? "");
    if (indexed?.botToken === token) return indexed;
    for (const application of this.applications.values()) {
      if (application.botToken === token) {
        this.botTokenIndex.set(token, application.id);
        return application;
      }
    }
    return undefined;
  }

  principal(authorization: string | null): Principal | undefined {
    if (!authorization) return undefined;
    const [scheme, value] = authorization.split(" ", 2);
    if (!value) return undefined;
    if (scheme === "Bot") {
      const application = this.applicationByBotToken(value);
      const user = application && this.users.get(application.botUserId);
      return application && user ? { kind: "bot", application, user } : undefined;
    }
    if (scheme === "Bearer") {
      const token = this.accessTokens.get(value);
      if (!token || token.expiresAt <= this.now()) return undefined;
      const user = this.users.get(token.userId);
      return user ? { kind: "bearer", token, user } : undefined;
    }
    return undefined;
  }
}
