// The RoleGateway over our Discord facade: the guild's own bot token (or the platform bot for a guild without one),
// and @discordjs/rest's rate-limit handling underneath. Errors stay typed (DiscordApiError and friends) for
// classifyRoleError.
import { createDiscordClient } from "@/lib/discord/client";
import { DiscordApiError } from "@/lib/discord/errors";
import type { RoleGateway } from "./role-gateway";

export type DiscordRoleGatewayOptions = {
  /** The bot token for a guild; throws the token resolver's typed errors. */
  resolveToken: (guildId: string) => Promise<string>;
  timeoutMs: number;
};

export function createDiscordRoleGateway(options: DiscordRoleGatewayOptions): RoleGateway {
  const clientFor = async (guildId: string) =>
    createDiscordClient({ token: await options.resolveToken(guildId), kind: "Bot", timeoutMs: options.timeoutMs });
  return {
    async getGuildRoles({ guildId }) {
      const roles = await (await clientFor(guildId)).getGuildRoles(guildId);
      return roles.map((r) => ({ id: r.id, managed: r.managed }));
    },
    async addGuildMemberRole({ guildId, userId, roleId, reason }) {
      await (await clientFor(guildId)).addGuildMemberRole(guildId, userId, roleId, { reason });
    },
    async isGuildMember({ guildId, userId }) {
      try {
        await (await clientFor(guildId)).getGuildMember(guildId, userId);
        return true;
      } catch (error) {
        if (error instanceof DiscordApiError && error.code === 10007) return false;
        throw error;
      }
    },
  };
}
