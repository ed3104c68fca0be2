// What the settings page shows about the bot: connection state, guild, approved role, and whose bot it is.
import type { ConnectionState } from "@/generated/prisma/enums";
import { db as defaultDb, type Db } from "@/lib/db";

export type BotConnectionView = {
  state: ConnectionState;
  guildId: string | null;
  guildName: string | null;
  approvedRoleId: string | null;
  approvedRoleName: string | null;
  botAddedAt: Date | null;
  /** The reason code of the last failed connect (ERROR state). */
  connectionError: string | null;
  /** The organization's own bot application, or null for the platform bot. */
  ownBotApplicationId: string | null;
};

export type GetBotConnectionOptions = { organizationId: string; db?: Db };

export async function getBotConnection(options: GetBotConnectionOptions): Promise<BotConnectionView> {
  const client = options.db ?? defaultDb;
  const org = await client.organization.findUniqueOrThrow({
    where: { id: options.organizationId },
    select: {
      botApplicationId: true,
      connection: {
        select: {
          state: true,
          guildId: true,
          guildName: true,
          approvedRoleId: true,
          approvedRoleName: true,
          botAddedAt: true,
          connectionError: true,
        },
      },
    },
  });
  const c = org.connection;
  return {
    state: c?.state ?? "DISCONNECTED",
    guildId: c?.guildId ?? null,
    guildName: c?.guildName ?? null,
    approvedRoleId: c?.approvedRoleId ?? null,
    approvedRoleName: c?.approvedRoleName ?? null,
    botAddedAt: c?.botAddedAt ?? null,
    connectionError: c?.connectionError ?? null,
    ownBotApplicationId: org.botApplicationId,
  };
}
