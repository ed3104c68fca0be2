// getGuildBotToken: warm throughput and p99, cold p50 against PostgreSQL, and a stampede of concurrent misses,
// each beside a baseline written like source document 000 (plain Map with TTL, no single-flight, two queries,
// and its `decrypt` from source document 001: async scrypt key derivation on every decrypt, so concurrent misses
// run their key derivations on libuv's thread pool as the source's would, not one after another on the main thread). Uses DATABASE_URL, or a throw-away embedded PostgreSQL.
import { createDecipheriv, createCipheriv, randomBytes, scrypt, scryptSync } from "node:crypto";
import { promisify } from "node:util";
import { benchDatabase, benchEnv, type BenchResult, type BenchSuite, latencies, opsPerSecond, percentile } from "./lib";

const GUILDS = 1000;
const BASELINE_PASSPHRASE = "baseline-tenant-encryption-key";

/** The source document's encryption helper: a key derived with scrypt on every call. */
function baselineEncrypt(plaintext: string): string {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", scryptSync(BASELINE_PASSPHRASE, salt, 32), iv);
  const data = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [salt, iv, cipher.getAuthTag(), data].map((b) => b.toString("base64")).join(":");
}

const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, keylen: number) => Promise<Buffer>;

/** The source's decrypt (document 001): `await scryptAsync(secret, salt, 32)` on every call. */
async function baselineDecrypt(value: string): Promise<string> {
  const [salt, iv, tag, data] = value.split(":").map((p) => Buffer.from(p, "base64")) as [
    Buffer,
    Buffer,
    Buffer,
    Buffer,
  ];
  const decipher = createDecipheriv("aes-256-gcm", await scryptAsync(BASELINE_PASSPHRASE, salt, 32), iv);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(data), decipher.final()]).toString("utf8");
}

const suite: BenchSuite = {
  name: "per-guild bot-token resolution",
  run: async () => {
    const pg = await benchDatabase("resolver");
    await benchEnv({ databaseUrl: pg.url, defaults: { DISCORD_TOKEN: "bench-platform-token" } });
    const { PrismaPg } = await import("@prisma/adapter-pg");
    const { PrismaClient } = await import("../src/generated/prisma/client");
    const { storeToken } = await import("../src/lib/crypto/token-vault");
    const { TokenResolver, loadGuildTokenRow } = await import("../src/lib/discord/token-resolver");
    const db = new PrismaClient({ adapter: new PrismaPg({ connectionString: pg.url, max: 10 }) });

    try {
      // 1,000 organizations, each with its own bot and a connected guild.
      const guildIds: string[] = [];
      await db.$executeRaw`DELETE FROM "Organization" WHERE "slug" LIKE 'bench-resolver-%'`;
      for (let i = 0; i < GUILDS; i++) {
        const guildId = (1_200_000_000_000_100_000n + BigInt(i)).toString();
        const org = await db.organization.create({ data: { slug: `bench-resolver-${i}`, name: `Bench ${i}` } });
        await db.discordConnection.create({ data: { organizationId: org.id, guildId, state: "CONNECTED" } });
        const token = `bench-bot-token-${i}.${randomBytes(16).toString("base64url")}`;
        await storeToken({ db, organizationId: org.id, provider: "DISCORD_BOT", tokenType: "BOT_TOKEN", value: token });
        if (i < 20) {
          await db.vaultSecret.create({
            data: {
              organizationId: org.id,
              provider: "DISCORD_BOT",
              tokenType: "BOT_TOKEN",
              identifier: "baseline",
              ciphertext: baselineEncrypt(token),
              keyVersion: 0,
            },
          });
        }
        guildIds.push(guildId);
      }

      // The source document's resolver, on the same tables: plain Map, two queries, scrypt per decrypt.
      const baselineCache = new Map<string, { token: string; expiresAt: number }>();
      let baselineQueries = 0;
      const baseline = async (guildId: string): Promise<string | null> => {
        const cached = baselineCache.get(guildId);
        if (cached && cached.expiresAt > Date.now()) return cached.token;
        baselineQueries++;
        const guild = await db.discordConnection.findUnique({ where: { guildId }, select: { organizationId: true } });
        if (!guild) return process.env.DISCORD_TOKEN ?? null;
        baselineQueries++;
        const tenant = await db.organization.findUnique({
          where: { id: guild.organizationId },
          select: { status: true, secrets: { where: { identifier: "baseline" }, select: { ciphertext: true } } },
        });
        if (!tenant || tenant.status !== "ACTIVE" || !tenant.secrets[0]) return process.env.DISCORD_TOKEN ?? null;
        const token = await baselineDecrypt(tenant.secrets[0].ciphertext);
        baselineCache.set(guildId, { token, expiresAt: Date.now() + 5 * 60_000 });
        return token;
      };

      let queries = 0;
      const resolver = new TokenResolver({
        db,
        loadRow: (client, guildId) => {
          queries++;
          return loadGuildTokenRow(client, guildId);
        },
      });
      const results: BenchResult[] = [];

      // Warm: every guild cached; both cycle through the same 20 guilds (ours holds all 1,000).
      for (const id of guildIds) await resolver.getGuildBotToken(id);
      for (const id of guildIds.slice(0, 20)) await baseline(id);
      let n = 0;
      const warmOurs = await opsPerSecond(() => resolver.getGuildBotToken(guildIds[n++ % 20]!), 1500);
      let m = 0;
      const warmBase = await opsPerSecond(() => baseline(guildIds[m++ % 20]!), 1500);
      results.push({
        name: "warm getGuildBotToken throughput",
        value: warmOurs,
        unit: "ops/s",
        baseline: warmBase,
        baselineLabel: "source-doc Map",
        higherIsBetter: true,
        target: ">= 1,000,000 ops/s",
        met: warmOurs >= 1_000_000,
      });
      const warmLatOurs = await latencies(() => resolver.getGuildBotToken(guildIds[n++ % 20]!), 100_000);
      const warmLatBase = await latencies(() => baseline(guildIds[m++ % 20]!), 100_000);
      const p99 = percentile(warmLatOurs, 99);
      results.push({
        name: "warm getGuildBotToken p99",
        value: p99,
        unit: "µs",
        baseline: percentile(warmLatBase, 99),
        baselineLabel: "source-doc Map",
        higherIsBetter: false,
        target: "< 20 µs",
        met: p99 < 20,
      });

      // Cold: the entry is evicted before every call (one query and one decrypt for ours).
      let c = 0;
      const coldOurs = await latencies(async () => {
        const id = guildIds[c++ % GUILDS]!;
        resolver.evictGuild(id);
        await resolver.getGuildBotToken(id);
      }, 300);
      let d = 0;
      const coldBase = await latencies(async () => {
        const id = guildIds[d++ % 20]!;
        baselineCache.delete(id);
        await baseline(id);
      }, 60);
      results.push({
        name: "cold getGuildBotToken p50 (PostgreSQL + decrypt)",
        value: percentile(coldOurs, 50) / 1000,
        unit: "ms",
        baseline: percentile(coldBase, 50) / 1000,
        baselineLabel: "source-doc 2 queries + scrypt",
        higherIsBetter: false,
      });

      // Stampede: 100 concurrent misses for one guild.
      const stampede = async (fn: () => Promise<unknown>) => {
        const started = performance.now();
        await Promise.all(Array.from({ length: 100 }, fn));
        return performance.now() - started;
      };
      resolver.evictGuild(guildIds[0]!);
      queries = 0;
      const stampedeOurs = await stampede(() => resolver.getGuildBotToken(guildIds[0]!));
      const oursQueries = queries;
      baselineCache.delete(guildIds[0]!);
      baselineQueries = 0;
      const stampedeBase = await stampede(() => baseline(guildIds[0]!));
      results.push({
        name: "100 concurrent misses for one guild: wall time",
        value: stampedeOurs,
        unit: "ms",
        baseline: stampedeBase,
        baselineLabel: "source-doc, no single-flight",
        higherIsBetter: false,
      });
      results.push({
        name: "100 concurrent misses for one guild: SQL queries",
        value: oursQueries,
        unit: "queries",
        baseline: baselineQueries,
        baselineLabel: "source-doc",
        higherIsBetter: false,
        target: "1",
        met: oursQueries === 1,
      });
      return results;
    } finally {
      await db.$executeRaw`DELETE FROM "Organization" WHERE "slug" LIKE 'bench-resolver-%'`.catch(() => {});
      await db.$disconnect();
      await pg.stop();
    }
  },
};

export default suite;
