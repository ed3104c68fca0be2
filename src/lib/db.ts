// One Prisma client per process, over one node-postgres pool. Cached on globalThis so Next's dev reloads reuse it.
import { createHash } from "node:crypto";
import { PrismaPg } from "@prisma/adapter-pg";
import { LRUCache } from "lru-cache";
import pg from "pg";
import { type Prisma, PrismaClient } from "@/generated/prisma/client";
import { env } from "@/lib/env";

export type Db = PrismaClient;
export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];

const globalForDb = globalThis as unknown as { guildgatePrisma?: PrismaClient; guildgatePool?: pg.Pool };

function getPool(): pg.Pool {
  if (!globalForDb.guildgatePool) {
    const pool = new pg.Pool({
      connectionString: env.DATABASE_URL,
      max: 10,
      // Fail fast when the database is unreachable instead of hanging requests.
      connectionTimeoutMillis: 3_000,
    });
    // An idle connection dropped by the server (restart, outage) is replaced on next use; without a listener the
    // pool's 'error' event would end the process.
    pool.on("error", () => {});
    globalForDb.guildgatePool = pool;
  }
  return globalForDb.guildgatePool;
}

function getClient(): PrismaClient {
  globalForDb.guildgatePrisma ??= new PrismaClient({ adapter: new PrismaPg(getPool()) });
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

/**
 * One statement straight on the pool Prisma uses, for the few statements every role job runs: Prisma spends several
 * times the driver's CPU per raw query (docs/BENCHMARKS.md), which at scale is a job's largest cost. Same pool,
 * same limits, same errors as the driver's (isDatabaseUnavailable knows them). Rows come back as node-postgres
 * parses them: timestamptz as Date, jsonb as objects, bigint as string.
 *
 * Each connection prepares the statement once (named by a hash of its text, so one name is always one text):
 * PostgreSQL then parses it once per connection, and plans it once it settles on a generic plan.
 */
export async function queryRows<T>(query: Prisma.Sql): Promise<T[]> {
  return (await getPool().query(prepared(query))).rows as T[];
}

/** Like queryRows, for a statement whose affected row count is the answer. */
export async function executeStatement(query: Prisma.Sql): Promise<number> {
  return (await getPool().query(prepared(query))).rowCount ?? 0;
}

/** Statement names by text: a handful of texts, each hashed once per process instead of on every run. */
const names = new LRUCache<string, string>({ max: 1_000 });

function prepared(query: Prisma.Sql): pg.QueryConfig {
  const { text } = query;
  let name = names.get(text);
  if (!name) {
    name = `gg_${createHash("sha256").update(text).digest("base64url").slice(0, 22)}`;
    names.set(text, name);
  }
  return { name, text, values: query.values as unknown[] };
}

export async function disconnectDb(): Promise<void> {
  const client = globalForDb.guildgatePrisma;
  const pool = globalForDb.guildgatePool;
  globalForDb.guildgatePrisma = undefined;
  globalForDb.guildgatePool = undefined;
  await client?.$disconnect();
  await pool?.end().catch(() => {});
}
