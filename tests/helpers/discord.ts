// Test helpers for the Discord layer: an organization with a connected guild and (optionally) its own bot token in
// the vault, and a TCP proxy in front of PostgreSQL that a test can stop to make the database unreachable.
import net from "node:net";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/generated/prisma/client";
import type { MemberRole, OrganizationStatus, TokenValidity } from "@/generated/prisma/enums";
import { storeToken } from "@/lib/crypto/token-vault";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { WORLD_IDS } from "~tests/fakes/discord/world";
import { addMember, createTestOrganization, createUserWithSession } from "./auth";

let sequence = 0;

export type CreateOrgOnDemoGuildOptions = { role?: MemberRole; orgName?: string; memberName?: string };

/**
 * An organization connected to the fake world's Demo Guild (platform bot, its approved role) with a signed-in
 * member: the set-up of most tests that go through the dashboard's routes to Discord.
 */
export async function createOrgOnDemoGuild(options: CreateOrgOnDemoGuildOptions = {}) {
  const organization = await createTestOrganization(options.orgName ? { name: options.orgName } : {});
  await db.discordConnection.create({
    data: {
      organizationId: organization.id,
      guildId: WORLD_IDS.guild,
      guildName: "Demo Guild",
      approvedRoleId: WORLD_IDS.approvedRole,
      approvedRoleName: "Approved",
      state: "CONNECTED",
    },
  });
  const { user, cookie, token } = await createUserWithSession(options.memberName ? { name: options.memberName } : {});
  await addMember({ userId: user.id, organizationId: organization.id, role: options.role ?? "OWNER" });
  return { organization, slug: organization.slug, user, cookie, token };
}

export type SeedConnectedGuildOptions = {
  guildId: string;
  /** The organization's own bot token; omitted: the organization uses the platform bot. */
  botToken?: string;
  validity?: TokenValidity;
  status?: OrganizationStatus;
  /** Set when the organization registered its own bot application. */
  botApplicationId?: string | null;
};

export async function seedConnectedGuild(options: SeedConnectedGuildOptions) {
  sequence += 1;
  const organization = await db.organization.create({
    data: {
      slug: `discord-${process.pid}-${sequence}`,
      name: `Discord test ${sequence}`,
      status: options.status ?? "ACTIVE",
      botApplicationId: options.botApplicationId ?? null,
    },
  });
  await db.discordConnection.create({
    data: { organizationId: organization.id, guildId: options.guildId, guildName: "Test guild", state: "CONNECTED" },
  });
  const secret = options.botToken
    ? await storeToken({
        organizationId: organization.id,
        provider: "DISCORD_BOT",
        tokenType: "BOT_TOKEN",
        value: options.botToken,
        validity: options.validity ?? "VALID",
      })
    : undefined;
  return { organization, secretId: secret?.id };
}

export type TcpProxy = {
  url: string;
  /** A Prisma client that connects through the proxy. */
  client: () => PrismaClient;
  /** Cuts every connection and refuses new ones. */
  stop: () => Promise<void>;
  /** Disconnects the clients (after stop, in a finally). */
  dispose: () => Promise<void>;
};

/** A proxy to the test database; `stop()` closes it and cuts every open connection, like a database going away. */
export async function startDatabaseProxy(): Promise<TcpProxy> {
  const target = new URL(env.DATABASE_URL);
  const sockets = new Set<net.Socket>();
  const server = net.createServer((inbound) => {
    const outbound = net.connect(Number(target.port || 5432), target.hostname);
    sockets.add(inbound).add(outbound);
    inbound.pipe(outbound).pipe(inbound);
    const close = () => {
      inbound.destroy();
      outbound.destroy();
    };
    inbound.on("error", close).on("close", close);
    outbound.on("error", close).on("close", close);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = new URL(env.DATABASE_URL);
  url.hostname = "127.0.0.1";
  url.port = String((server.address() as net.AddressInfo).port);
  const clients: PrismaClient[] = [];
  return {
    url: url.toString(),
    client: () => {
      const client = new PrismaClient({
        adapter: new PrismaPg({ connectionString: url.toString(), max: 2, connectionTimeoutMillis: 1_000 }),
      });
      clients.push(client);
      return client;
    },
    stop: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
    dispose: async () => {
      if (server.listening) server.close();
      for (const socket of sockets) socket.destroy();
      await Promise.all(clients.map((c) => c.$disconnect().catch(() => {})));
    },
  };
}
