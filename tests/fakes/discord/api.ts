// The REST routes the product calls, with Discord's status codes, error codes and permission rules.
import { type DiscordModel, type FakeGuild, type Principal, PERMISSIONS } from "./model";
import {
  renderChannel,
  renderCurrentUser,
  renderGuild,
  renderMember,
  renderMyGuild,
  renderRole,
  sortedRoles,
} from "./render";
import { DISCORD_ERRORS, discordError, invalidFormBody, json, noContent } from "./responses";

export type AuditEntry = {
  guildId: string;
  action: string;
  targetId: string;
  roleId?: string;
  reason: string | null;
  at: number;
};

export type ApiContext = {
  model: DiscordModel;
  principal: Principal;
  params: Record<string, string>;
  url: URL;
  request: Request;
  /** The decoded X-Audit-Log-Reason, if any. */
  reason: string | null;
  audit: (entry: Omit<AuditEntry, "at">) => void;
};

export type ApiRoute = {
  method: string;
  /** Path template in Discord's OpenAPI spelling, e.g. /guilds/{guild_id}. */
  template: string;
  /** Bot-only routes refuse OAuth bearer tokens. */
  botOnly: boolean;
  handle: (ctx: ApiContext) => Promise<Response> | Response;
};

/** The guild as the calling bot sees it: 404 if it does not exist, 403 if the bot is not in it. */
function botGuild(ctx: ApiContext): FakeGuild | Response {
  const guild = ctx.model.guilds.get(ctx.params.guild_id!);
  if (!guild) return discordError(DISCORD_ERRORS.UNKNOWN_GUILD);
  if (!guild.members.has(ctx.principal.user.id)) return discordError(DISCORD_ERRORS.MISSING_ACCESS);
  return guild;
}

export function hasPermission(ctx: ApiContext, guild: FakeGuild, bit: bigint): boolean {
  return (ctx.model.memberPermissions(guild, ctx.principal.user.id) & bit) !== 0n;
}

/** Shared rules of member role PUT and DELETE: MANAGE_ROLES, and the role strictly below the bot's highest. */
function memberRoleTarget(ctx: ApiContext): { guild: FakeGuild; userId: string; roleId: string } | Response {
  const guild = botGuild(ctx);
  if (guild instanceof Response) return guild;
  const role = guild.roles.get(ctx.params.role_id!);
  if (!role) return discordError(DISCORD_ERRORS.UNKNOWN_ROLE);
  if (!guild.members.has(ctx.params.user_id!)) return discordError(DISCORD_ERRORS.UNKNOWN_MEMBER);
  if (!hasPermission(ctx, guild, PERMISSIONS.MANAGE_ROLES)) return discordError(DISCORD_ERRORS.MISSING_PERMISSIONS);
  if (
    role.managed ||
    role.id === guild.id ||
    role.position >= ctx.model.highestRolePosition(guild, ctx.principal.user.id)
  ) {
    return discordError(DISCORD_ERRORS.MISSING_PERMISSIONS);
  }
  return { guild, userId: ctx.params.user_id!, roleId: role.id };
}

export async function readJsonBody(request: Request): Promise<Record<string, unknown> | Response> {
  const text = await request.text();
  if (!text) return {};
  try {
    const value = JSON.parse(text) as unknown;
    if (value && typeof value === "object" && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // fall through: Discord answers malformed JSON with 50109
  }
  return discordError({ status: 400, code: 50109, message: "The request body contains invalid JSON." });
}

export const API_ROUTES: ApiRoute[] = [
  {
    method: "GET",
    template: "/users/@me",
    botOnly: false,
    handle: (ctx) => {
      const { principal } = ctx;
      if (principal.kind === "bearer" && !principal.token.scopes.includes("identify")) {
        return discordError(DISCORD_ERRORS.UNAUTHORIZED);
      }
      const withEmail = principal.kind === "bearer" && principal.token.scopes.includes("email");
      return json(renderCurrentUser(principal.user, withEmail));
    },
  },
  {
    method: "GET",
    template: "/users/@me/guilds",
    botOnly: false,
    handle: (ctx) => {
      const { principal, model } = ctx;
      if (principal.kind === "bearer" && !principal.token.scopes.includes("guilds")) {
        return discordError(DISCORD_ERRORS.UNAUTHORIZED);
      }
      const guilds = [...model.guilds.values()]
        .filter((g) => g.members.has(principal.user.id))
        .sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1))
        .map((g) => renderMyGuild(g, principal.user.id, model.memberPermissions(g, principal.user.id)));
      return json(guilds);
    },
  },
  {
    method: "DELETE",
    template: "/users/@me/guilds/{guild_id}",
    botOnly: true,
    handle: (ctx) => {
      const guild = ctx.model.guilds.get(ctx.params.guild_id!);
      if (!guild || !guild.members.has(ctx.principal.user.id)) return discordError(DISCORD_ERRORS.UNKNOWN_GUILD);
      ctx.model.removeMember(guild.id, ctx.principal.user.id);
      return noContent();
    },
  },
  {
    method: "GET",
    template: "/guilds/{guild_id}",
    botOnly: true,
    handle: (ctx) => {
      const guild = botGuild(ctx);
      if (guild instanceof Response) return guild;
      return json(renderGuild(guild, ctx.url.searchParams.get("with_counts") === "true"));
    },
  },
  {
    method: "GET",
    template: "/guilds/{guild_id}/roles",
    botOnly: true,
    handle: (ctx) => {
      const guild = botGuild(ctx);
      if (guild instanceof Response) return guild;
      return json(sortedRoles(guild).map(renderRole));
    },
  },
  {
    method: "POST",
    template: "/guilds/{guild_id}/roles",
    botOnly: true,
    handle: async (ctx) => {
      const guild = botGuild(ctx);
      if (guild instanceof Response) return guild;
      if (!hasPermission(ctx, guild, PERMISSIONS.MANAGE_ROLES)) return discordError(DISCORD_ERRORS.MISSING_PERMISSIONS);
      const body = await readJsonBody(ctx.request);
      if (body instanceof Response) return body;
      const name = body.name ?? "new role";
      if (typeof name !== "string") return invalidFormBody("name", "BASE_TYPE_STRING", "Must be a string.");
      if (name.length > 100) return invalidFormBody("name", "BASE_TYPE_MAX_LENGTH", "Must be 100 or fewer in length.");
      let permissions = 0n;
      if (body.permissions !== undefined) {
        try {
          permissions = BigInt(body.permissions as string);
        } catch {
          return invalidFormBody("permissions", "NUMBER_TYPE_COERCE", "Value is not int.");
        }
        // A bot cannot grant permissions it does not have.
        if (permissions & ~ctx.model.memberPermissions(guild, ctx.principal.user.id)) {
          return discordError(DISCORD_ERRORS.MISSING_PERMISSIONS);
        }
      }
      const role = ctx.model.addRole(guild.id, {
        name,
        permissions,
        color: typeof body.color === "number" ? body.color : 0,
        hoist: body.hoist === true,
        mentionable: body.mentionable === true,
      });
      ctx.audit({ guildId: guild.id, action: "ROLE_CREATE", targetId: role.id, reason: ctx.reason });
      return json(renderRole(role));
    },
  },
  {
    method: "GET",
    template: "/guilds/{guild_id}/channels",
    botOnly: true,
    handle: (ctx) => {
      const guild = botGuild(ctx);
      if (guild instanceof Response) return guild;
      const channels = [...guild.channels.values()].sort((a, b) => a.position - b.position);
      return json(channels.map((c) => renderChannel(guild, c)));
    },
  },
  {
    // Before /members/{user_id}, which would otherwise take "search" for a user id.
    method: "GET",
    template: "/guilds/{guild_id}/members/search",
    botOnly: true,
    handle: (ctx) => {
      const guild = botGuild(ctx);
      if (guild instanceof Response) return guild;
      const query = ctx.url.searchParams.get("query");
      const limit = Number(ctx.url.searchParams.get("limit") ?? "1");
      if (!query) return invalidFormBody("query", "BASE_TYPE_REQUIRED", "This field is required");
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
        return invalidFormBody("limit", "NUMBER_TYPE_MAX", "int value should be less than or equal to 1000.");
      const q = query.toLowerCase();
      const found = [...guild.members.values()].flatMap((member) => {
        const user = ctx.model.users.get(member.userId);
        if (!user) return [];
        const names = [user.username, user.globalName, member.nick].filter((n): n is string => Boolean(n));
        return names.some((n) => n.toLowerCase().startsWith(q)) ? [renderMember(member, user)] : [];
      });
      return json(found.slice(0, limit));
    },
  },
  {
    method: "GET",
    template: "/guilds/{guild_id}/members/{user_id}",
    botOnly: true,
    handle: (ctx) => {
      const guild = botGuild(ctx);
      if (guild instanceof Response) return guild;
      const member = guild.members.get(ctx.params.user_id!);
      const user = ctx.model.users.get(ctx.params.user_id!);
      if (!user) return discordError(DISCORD_ERRORS.UNKNOWN_USER);
      if (!member) return discordError(DISCORD_ERRORS.UNKNOWN_MEMBER);
      return json(renderMember(member, user));
    },
  },
  {
    method: "PUT",
    template: "/guilds/{guild_id}/members/{user_id}/roles/{role_id}",
    botOnly: true,
    handle: (ctx) => {
      const target = memberRoleTarget(ctx);
      if (target instanceof Response) return target;
      target.guild.members.get(target.userId)!.roleIds.add(target.roleId);
      ctx.audit({
        guildId: target.guild.id,
        action: "MEMBER_ROLE_ADD",
        targetId: target.userId,
        roleId: target.roleId,
        reason: ctx.reason,
      });
      return noContent();
    },
  },
  {
    method: "DELETE",
    template: "/guilds/{guild_id}/members/{user_id}/roles/{role_id}",
    botOnly: true,
    handle: (ctx) => {
      const target = memberRoleTarget(ctx);
      if (target instanceof Response) return target;
      target.guild.members.get(target.userId)!.roleIds.delete(target.roleId);
      ctx.audit({
        guildId: target.guild.id,
        action: "MEMBER_ROLE_REMOVE",
        targetId: target.userId,
        roleId: target.roleId,
        reason: ctx.reason,
      });
      return noContent();
    },
  },
];

/** Matches a path against a template, returning its parameters. */
export function matchTemplate(template: string, path: string): Record<string, string> | undefined {
  const t = template.split("/");
  const p = path.split("/");
  if (t.length !== p.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < t.length; i++) {
    const segment = t[i]!;
    if (segment.startsWith("{")) {
      if (!/^\d{1,20}$/.test(p[i]!)) return undefined;
      params[segment.slice(1, -1)] = p[i]!;
    } else if (segment !== p[i]) {
      return undefined;
    }
  }
  return params;
}
