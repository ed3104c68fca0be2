// Application search through `next start` (production build in .next-e2e, built when missing) with 100,000
// applications seeded: GET /api/v1/applications?q=... with an API token, for terms that match one row (a code in an
// answer, a Discord id), a name fragment, and a word in 5% of the answers, some combined with ?status=. Baseline,
// measured in the same run on the same data: the same search as ILIKE over name, Discord id and answers without an
// index (what a search without pg_trgm does), next to our query, both straight on the database.
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { type BenchResult, type BenchSuite, percentile } from "./lib";

const APPLICATIONS = 100_000;
const ROUNDS = 25;
const GAMES = [
  "minecraft",
  "valorant",
  "rocket league",
  "factorio",
  "stardew valley",
  "elden ring",
  "terraria",
  "dota",
  "apex",
  "hades",
  "celeste",
  "overwatch",
  "tetris",
  "zelda",
  "portal",
  "halo",
  "fortnite",
  "chess",
  "osu",
  "rust",
];

async function timeAll(fns: (() => Promise<unknown>)[], rounds: number): Promise<number[]> {
  for (const fn of fns) await fn();
  const samples: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const fn of fns) {
      const t = performance.now();
      await fn();
      samples.push(performance.now() - t);
    }
  }
  return samples;
}

const suite: BenchSuite = {
  name: "Application search (next start, 100,000 applications)",
  async run(): Promise<BenchResult[]> {
    const { startStack } = await import("../scripts/e2e/stack");
    const saved = { ...process.env };
    const stack = await startStack({
      build: "if-missing",
      serverLog: path.join(os.tmpdir(), "guildgate-bench-search-server.log"),
      log: (m) => console.log(`  [stack] ${m}`),
    });
    try {
      const { db, baseUrl } = stack;
      const { createToken } = await import("../src/lib/security/api-tokens");
      const { Prisma } = await import("../src/generated/prisma/client");
      const { applicationFilterSql } = await import("../src/lib/applications/queries/search-applications");
      const org = await db.organization.create({ data: { slug: "bench-search", name: "Bench Search" } });
      const { token } = await createToken({
        organizationId: org.id,
        createdById: null,
        name: "bench",
        scopes: ["applications:read"],
      });
      await db.$executeRawUnsafe(
        `INSERT INTO "Application" ("organizationId", "applicantName", "applicantDiscordId", "answers", "status", "roleAssignmentStatus", "createdAt", "updatedAt")
         SELECT $1::uuid, 'Applicant ' || g, (1200000000000000000 + g)::text,
                jsonb_build_array(
                  jsonb_build_object('questionId', '00000000-0000-4000-8000-000000000001', 'label', 'Why join?', 'kind', 'LONG_TEXT',
                    'value', 'I mostly play ' || ($2::text[])[1 + g % 20] || ' with friends, my invite code is ' || md5(g::text)),
                  jsonb_build_object('questionId', '00000000-0000-4000-8000-000000000002', 'label', 'Experience', 'kind', 'LONG_TEXT',
                    'value', 'Moderated ' || (g % 7) || ' servers before; ' || repeat('happy to help. ', 1 + g % 5))),
                (ARRAY['PENDING','APPROVED','REJECTED','APPROVED_PENDING_ROLE','APPROVED_ROLE_ASSIGNED','APPROVED_ROLE_FAILED'])[1 + g % 6]::"ApplicationStatus",
                'NOT_APPLICABLE', now() - g * interval '1 second', now()
         FROM generate_series(1, ${APPLICATIONS}) g`,
        org.id,
        GAMES,
      );
      await db.$executeRawUnsafe(`ANALYZE "Application"`);

      const searches = [
        { q: (await db.$queryRawUnsafe<{ m: string }[]>(`SELECT substr(md5('31337'), 5, 10) AS m`))[0]!.m },
        { q: "1200000000000054321" },
        { q: "Applicant 7777" },
        { q: "stardew" },
        { q: "stardew", status: "PENDING" },
        { q: "invite code is 0a", status: "REJECTED" },
      ];
      const http = searches.map((s) => async () => {
        const params = new URLSearchParams({ q: s.q, ...(s.status ? { status: s.status } : {}) });
        const response = await fetch(`${baseUrl}/api/v1/applications?${params}`, {
          headers: { authorization: `Bearer ${token}` },
        });
        const body = (await response.json()) as { items: unknown[] };
        if (response.status !== 200 || body.items.length === 0)
          throw new Error(`search ${params} answered ${response.status} with ${body.items?.length} items`);
      });
      const httpSamples = await timeAll(http, ROUNDS);

      const ours = searches.map(
        (s) => () =>
          db.$queryRaw(Prisma.sql`
        SELECT "id" FROM "Application" WHERE ${applicationFilterSql({ organizationId: org.id, q: s.q, status: s.status as never })}
        ORDER BY "createdAt" DESC, "id" DESC LIMIT 26`),
      );
      const baseline = searches.map((s) => () => {
        const pattern = `%${s.q}%`;
        return db.$queryRaw(Prisma.sql`
          SELECT "id" FROM "Application"
          WHERE "organizationId" = ${org.id}::uuid ${s.status ? Prisma.sql`AND "status" = ${s.status}::"ApplicationStatus"` : Prisma.empty}
            AND ("applicantName" ILIKE ${pattern} OR "applicantDiscordId" ILIKE ${pattern} OR "answers"::text ILIKE ${pattern})
          ORDER BY "createdAt" DESC, "id" DESC LIMIT 26`);
      });
      const oursSamples = await timeAll(ours, ROUNDS);
      const baselineSamples = await timeAll(baseline, 5);

      const p95 = percentile(httpSamples, 95);
      return [
        {
          name: "search through next start (GET /api/v1/applications?q=), p50",
          value: percentile(httpSamples, 50),
          unit: "ms",
          higherIsBetter: false,
        },
        {
          name: "search through next start (GET /api/v1/applications?q=), p95",
          value: p95,
          unit: "ms",
          higherIsBetter: false,
          target: "< 150 ms",
          met: p95 < 150,
        },
        {
          name: "search query (pg_trgm index), p50",
          value: percentile(oursSamples, 50),
          unit: "ms",
          baseline: percentile(baselineSamples, 50),
          baselineLabel: "ILIKE without an index",
          higherIsBetter: false,
        },
        {
          name: "search query (pg_trgm index), p95",
          value: percentile(oursSamples, 95),
          unit: "ms",
          baseline: percentile(baselineSamples, 95),
          baselineLabel: "ILIKE without an index",
          higherIsBetter: false,
        },
      ];
    } finally {
      await stack.stop();
      for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
      Object.assign(process.env, saved);
      const { resetEnvCache } = await import("../src/lib/env");
      resetEnvCache();
    }
  },
};

export default suite;
