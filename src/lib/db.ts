// One Prisma client per process, over node-postgres. Cached on globalThis so Next's dev reloads reuse it.
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/generated/prisma/client";
import { env } from "@/lib/env";

export type Db = PrismaClient;
export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];

const globalForDb = globalThis as unknown as { guildgatePrisma?: PrismaClient };

function createClient(): PrismaClient {
  const adapter = new PrismaPg({
    connectionString: env.DATABASE_URL,
    max: 10,
    // Fail fast when the database is unreachable instead of hanging requests.
    connectionTimeoutMillis: 3_000,
  });
  return new PrismaClient({ adapter });
}

function getClient(): PrismaClient {
  globalForDb.guildgatePrisma ??= createClient();
  return globalForDb.guildgatePrisma;
}

/** Created on first use, so importing this module never connects or reads the environment. */
export const db: PrismaClient = new Proxy({} as PrismaClient, {
  get: (_target, key) => {
    const client = getClient();
    const value = Reflect.get(client, key);
    return typeof value === "function" ? value.bind(client) : value;
  },
});

export async function disconnectDb(): Promise<void> {
  const client = globalForDb.guildgatePrisma;
  globalForDb.guildgatePrisma = undefined;
  await client?.$disconnect();
}
