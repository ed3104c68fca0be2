// The RoleGateway over our Discord facade: the guild's own bot token (or the platform bot for a guild without one),
// and @discordjs/rest's rate-limit handling underneath. Errors stay typed (DiscordApiError and friends) for
// classifyRoleError.
import { LRUCache } from "lru-cache";
import { createDiscordClient } from "@/lib/discord/client";
import { DISCORD_ERROR_CODES, isDiscordCode } from "@/lib/discord/errors";
import { getGuildBotToken } from "@/lib/discord/token-resolver";
import type { GuildRoleInfo, RoleGateway } from "@/lib/applications/role-jobs/role-gateway";
import { DEFAULT_ROLE_SETTINGS } from "@/lib/applications/role-jobs/settings";

export type DiscordRoleGatewayOptions = {
  /**
   * The bot token for a guild (with its organization, whose share of Discord's invalid-request budget the calls
   * spend); throws the token resolver's typed errors.
   */
  resolveToken: (guildId: string) => Promise<string | { token: string; organizationId: string }>;
  timeoutMs: number;
  /** How long a guild's role list serves the pre-check (a role deleted meanwhile still fails the PUT with 10011). */
  rolesTtlMs?: number;
};

export function createDiscordRoleGateway(options: DiscordRoleGatewayOptions): RoleGateway {
  const clientFor = async (guildId: string) => {
    const resolved = await options.resolveToken(guildId);
    const { token, organizationId } =
      typeof resolved === "string" ? { token: resolved, organizationId: null } : resolved;
    const caller = organizationId ? { purpose: "tenant" as const, organizationId } : undefined;
    return createDiscordClient({ token, kind: "Bot", timeoutMs: options.timeoutMs, caller });
  };
  // Approvals come in bursts for one guild; one role list per burst, not one GET per approval. lru-cache's fetch()
  // is single-flight: the jobs of a burst that start together share one GET instead of each sending their own.
  const roleLists = new LRUCache<string, GuildRoleInfo[]>({
    max: 1_000,
    ttl: options.rolesTtlMs ?? 30_000,
    fetchMethod: async (guildId) =>
      (await (await clientFor(guildId)).getGuildRoles(guildId)).map((r) => ({
        id: r.id,
        managed: r.managed,
        name: r.name,
        permissions: r.permissions,
      })),
  });
  return {
    async getGuildRoles({ guildId, fresh }) {
      const roles = await roleLists.fetch(guildId, { forceRefresh: Boolean(fresh) });
      if (!roles) throw new Error("role list fetch returned nothing");
      return roles;
    },
    async addGuildMemberRole({ guildId, userId, roleId, reason }) {
      await (await clientFor(guildId)).addGuildMemberRole(guildId, userId, roleId, { reason });
    },
    async removeGuildMemberRole({ guildId, userId, roleId, reason }) {
      await (await clientFor(guildId)).removeGuildMemberRole(guildId, userId, roleId, { reason });
    },
    async getMemberRoleIds({ guildId, userId }) {
      return (await (await clientFor(guildId)).getGuildMember(guildId, userId)).roles;
    },
    async isGuildMember({ guildId, userId }) {
      try {
        await (await clientFor(guildId)).getGuildMember(guildId, userId);
        return true;
      } catch (error) {
        if (isDiscordCode(error, DISCORD_ERROR_CODES.UNKNOWN_MEMBER)) return false;
        throw error;
      }
    },
  };
}

// On globalThis: Next loads route handlers and the in-process worker as separate module instances, and they should
// share one role-list cache per guild rather than each keep its own.
const KEY = Symbol.for("guildgate.roleGateway");
const holder = globalThis as unknown as Record<symbol, RoleGateway | undefined>;

/**
 * The process's gateway over the default token resolver, used by the role job and POST /api/discord/assign-role:
 * a burst of approvals and assign-role calls for one guild shares one role-list GET per 30 s.
 */
export function defaultDiscordRoleGateway(): RoleGateway {
  holder[KEY] ??= createDiscordRoleGateway({
    resolveToken: (guildId) => getGuildBotToken(guildId),
    timeoutMs: DEFAULT_ROLE_SETTINGS.timeoutMs,
  });
  return holder[KEY];
}

/** Tests: forget the cached role lists (the Discord fake reseeds the same guild ids for every test). */
export function resetDefaultDiscordRoleGateway(): void {
  holder[KEY] = undefined;
}
