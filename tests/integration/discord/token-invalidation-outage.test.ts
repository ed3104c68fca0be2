// Cache invalidation across instances survives a database outage: instance B caches a guild's bot token, the
// database goes away for 20 s (a dedicated embedded cluster this test stops and starts again), and 100 ms after it
// is back instance A rotates the token and NOTIFYs. B's listener was disconnected when the NOTIFY went out; B's
// next call must still answer the new token (its cache is not trusted while the listener is down and is dropped
// when it listens again; the listener retries within a second instead of backing off to 30 s).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { expect, it } from "vitest";
import { PrismaClient } from "@/generated/prisma/client";
import { storeToken } from "@/lib/crypto/token-vault";
import { TokenResolver } from "@/lib/discord/token-resolver";
import { freePort, startEmbeddedPostgres } from "../../../scripts/lib/embedded-postgres";
import { migrateDeploy } from "../../../scripts/lib/run";

const GUILD = "1200000000000007000";
const OLD = "MTIwMDAwMDAwMDAwMDAwMDAxMA.old.fake-bot-token-before-rotation";
const NEW = "MTIwMDAwMDAwMDAwMDAwMDAxMA.new.fake-bot-token-after-rotation";

it(
  "a rotation made 100 ms after a 20 s outage is honoured by the other instance on its next call",
  { timeout: 180_000 },
  async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "guildgate-outage-"));
    const port = await freePort();
    const start = () =>
      startEmbeddedPostgres({ dataDir: path.join(dir, "pg"), database: "outage", port, persistent: true });
    let cluster = await start();
    const clients: PrismaClient[] = [];
    const client = () => {
      const c = new PrismaClient({
        adapter: new PrismaPg({ connectionString: cluster.url, max: 2, connectionTimeoutMillis: 1_000 }),
      });
      clients.push(c);
      return c;
    };
    const resolvers: TokenResolver[] = [];
    try {
      await migrateDeploy(cluster.url);
      const seed = client();
      const organization = await seed.organization.create({ data: { slug: "outage", name: "Outage" } });
      await seed.discordConnection.create({
        data: { organizationId: organization.id, guildId: GUILD, guildName: "Guild", state: "CONNECTED" },
      });
      const key = {
        organizationId: organization.id,
        provider: "DISCORD_BOT" as const,
        tokenType: "BOT_TOKEN" as const,
      };
      await storeToken({ ...key, value: OLD, db: seed });

      const a = new TokenResolver({ db: client() });
      const b = new TokenResolver({ db: client() });
      resolvers.push(a, b);
      await Promise.all([a.listen(cluster.url), b.listen(cluster.url)]);
      expect((await b.getGuildBotToken(GUILD)).token).toBe(OLD);

      await cluster.stop();
      // During the outage B keeps working from its cache (stale-if-error).
      expect((await b.getGuildBotToken(GUILD)).token).toBe(OLD);
      await new Promise((resolve) => setTimeout(resolve, 20_000));

      cluster = await start();
      await new Promise((resolve) => setTimeout(resolve, 100));
      const writer = client();
      await writer.$transaction(async (tx) => {
        await storeToken({ ...key, value: NEW, db: tx });
        await a.invalidateOrganization(organization.id, tx);
      });

      expect((await b.getGuildBotToken(GUILD)).token).toBe(NEW);
    } finally {
      await Promise.all(resolvers.map((r) => r.close()));
      await Promise.all(clients.map((c) => c.$disconnect().catch(() => {})));
      await cluster.stop().catch(() => {});
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
);
