// API token validation with 10,000 stored tokens (one indexed lookup by SHA-256) beside the source document's
// scheme (003) at 100 tokens: read every active token and bcrypt-compare (cost 10) until one matches.
// Uses DATABASE_URL, or a throw-away embedded PostgreSQL.
import bcrypt from "bcryptjs";
import { randomBytes, randomUUID } from "node:crypto";
import { benchDatabase, benchEnv, type BenchResult, type BenchSuite, latencies, percentile } from "./lib";

const OUR_TOKENS = 10_000;
const BASELINE_TOKENS = 100;
const SLUG = "bench-api-tokens";

const suite: BenchSuite = {
  name: "API token validation",
  run: async () => {
    const saved = { ...process.env };
    const pg = await benchDatabase("api-tokens");
    await benchEnv({ databaseUrl: pg.url });
    const { resetEnvCache } = await import("../src/lib/env");
    const { PrismaPg } = await import("@prisma/adapter-pg");
    const { PrismaClient } = await import("../src/generated/prisma/client");
    const { generateApiToken, hashApiToken, validateToken, ApiTokenError } =
      await import("../src/lib/security/api-tokens");
    const db = new PrismaClient({ adapter: new PrismaPg({ connectionString: pg.url, max: 10 }) });

    try {
      await db.organization.deleteMany({ where: { slug: SLUG } });
      await db.$executeRawUnsafe(`DROP TABLE IF EXISTS bench_baseline_api_token`);
      const org = await db.organization.create({ data: { slug: SLUG, name: "Bench API tokens" } });

      // Ours: 10,000 tokens in the real table.
      const tokens = Array.from({ length: OUR_TOKENS }, generateApiToken);
      for (let i = 0; i < OUR_TOKENS; i += 1000) {
        await db.apiToken.createMany({
          data: tokens.slice(i, i + 1000).map((token, j) => ({
            organizationId: org.id,
            name: `bench ${i + j}`,
            prefix: token.slice(0, 12),
            tokenHash: hashApiToken(token),
            scopes: ["applications:write"],
          })),
        });
      }
      await db.$executeRawUnsafe(`ANALYZE "ApiToken"`);

      // The source document's table and validate(): every active row, bcrypt.compare until a match.
      await db.$executeRawUnsafe(
        `CREATE TABLE bench_baseline_api_token (id uuid PRIMARY KEY, account_id uuid NOT NULL, token_hash text NOT NULL,
         is_active boolean NOT NULL DEFAULT true, expires_at bigint)`,
      );
      const baselineTokens = new Map<string, string>();
      for (let i = 0; i < BASELINE_TOKENS; i++) {
        const token = `mk_${randomBytes(24).toString("base64").replace(/[+/=]/g, "").slice(0, 24)}`;
        const id = randomUUID();
        baselineTokens.set(id, token);
        await db.$executeRaw`INSERT INTO bench_baseline_api_token (id, account_id, token_hash)
          VALUES (${id}::uuid, ${org.id}::uuid, ${await bcrypt.hash(token, 10)})`;
      }
      const baselineValidate = async (token: string) => {
        const rows = await db.$queryRaw<
          { id: string; account_id: string; token_hash: string; expires_at: bigint | null }[]
        >`
          SELECT id::text, account_id::text, token_hash, expires_at FROM bench_baseline_api_token WHERE is_active = true ORDER BY id`;
        for (const row of rows) {
          if (await bcrypt.compare(token, row.token_hash)) {
            if (row.expires_at && Number(row.expires_at) < Math.floor(Date.now() / 1000)) continue;
            return { accountId: row.account_id, tokenId: row.id };
          }
        }
        throw new Error("Invalid API token");
      };
      // The scan order, to pick tokens the scan finds after 25, 50 and 75 compares.
      const rowOrder = (
        await db.$queryRaw<{ id: string }[]>`SELECT id::text FROM bench_baseline_api_token ORDER BY id`
      ).map((r) => baselineTokens.get(r.id)!);

      // Ours, steady state: each sampled token was used in the last minute (no lastUsedAt write).
      const sample = Array.from({ length: 2000 }, (_, i) => tokens[(i * 7919) % OUR_TOKENS]!);
      for (const token of sample) await validateToken(token, { db });
      let n = 0;
      const ours = await latencies(() => validateToken(sample[n++ % sample.length]!, { db }), 2000);
      // Baseline: tokens at the first, second and third quartile of the scan order; the median is the middle one.
      const quartiles = [24, 49, 74].map((i) => rowOrder[i]!);
      let q = 0;
      const base = await latencies(() => baselineValidate(quartiles[q++]!), quartiles.length);

      const oursP50 = percentile(ours, 50);
      const baseP50 = percentile(base, 50);
      const results: BenchResult[] = [
        {
          name: `validate a live token, p50 (ours at ${OUR_TOKENS.toLocaleString("en-US")} tokens)`,
          value: oursP50,
          unit: "µs",
          baseline: baseP50,
          baselineLabel: `source-doc bcrypt scan at ${BASELINE_TOKENS} tokens`,
          higherIsBetter: false,
          target: ">= 1000x faster",
          met: baseP50 >= 1000 * oursP50,
        },
        {
          name: `validate a live token, p99 (ours at ${OUR_TOKENS.toLocaleString("en-US")} tokens)`,
          value: percentile(ours, 99),
          unit: "µs",
          baseline: Math.max(...base),
          baselineLabel: `source-doc, slowest of ${quartiles.length}`,
          higherIsBetter: false,
        },
      ];

      // Rejecting a mistyped token: ours never queries; the baseline compares against every stored token.
      const typo = sample[0]!.slice(0, 10) + (sample[0]![10] === "a" ? "b" : "a") + sample[0]!.slice(11);
      const rejectOurs = await latencies(
        () =>
          validateToken(typo, { db }).catch((e) => {
            if (!(e instanceof ApiTokenError)) throw e;
          }),
        10_000,
      );
      const rejectBase = await latencies(() => baselineValidate(`mk_${"x".repeat(24)}`).catch(() => undefined), 1);
      results.push({
        name: "reject a mistyped token, p50",
        value: percentile(rejectOurs, 50),
        unit: "µs",
        baseline: rejectBase[0],
        baselineLabel: `source-doc full scan of ${BASELINE_TOKENS}`,
        higherIsBetter: false,
      });
      return results;
    } finally {
      await db.$executeRawUnsafe(`DROP TABLE IF EXISTS bench_baseline_api_token`).catch(() => {});
      await db.organization.deleteMany({ where: { slug: SLUG } }).catch(() => {});
      await db.$disconnect();
      await pg.stop();
      // Later suites read DATABASE_URL: give them back the environment this one started with.
      for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
      Object.assign(process.env, saved);
      resetEnvCache();
    }
  },
};

export default suite;
