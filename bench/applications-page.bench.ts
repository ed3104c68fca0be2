// The applications page as admins get it: server render time of /dashboard/<org>/applications?status=PENDING (first
// page, filtered) through `next start` (production build in .next-e2e, built when missing) with 100,000
// applications seeded, and the JavaScript the browser downloads for it. Baselines, measured in the same run: the same
// page deep in the list (keyset cursor ~8,000 rows in), and the list query with OFFSET at that depth, which is what
// keyset pagination replaces.
import { gzipSync } from "node:zlib";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { type BenchResult, type BenchSuite, percentile } from "./lib";

const APPLICATIONS = 100_000;
const SAMPLES = 200;
const WARMUP = 20;
const DEPTH = 8_000;

async function timeRequests(url: string, cookie: string, n: number): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    const response = await fetch(url, { headers: { cookie }, redirect: "manual" });
    const html = await response.text();
    if (response.status !== 200 || !html.includes("data-application-id"))
      throw new Error(`${url} answered ${response.status} without the table`);
    samples.push(performance.now() - t);
  }
  return samples;
}

async function timeQueries(fn: () => Promise<unknown>, n: number): Promise<number[]> {
  for (let i = 0; i < 10; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    samples.push(performance.now() - t);
  }
  return samples;
}

/** Every external script the page loads, fetched and gzipped (what a browser downloads with compression on). */
async function pageJavaScriptKb(baseUrl: string, pageUrl: string, cookie: string): Promise<number> {
  const html = await (await fetch(pageUrl, { headers: { cookie } })).text();
  // `nomodule` scripts (legacy polyfills) are skipped by every browser that runs modules, so they are not counted.
  const tags = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]).filter((tag) => !/\snomodule\b/i.test(tag));
  const sources = [...new Set(tags.flatMap((tag) => /\ssrc="([^"]+)"/.exec(tag)?.[1] ?? []))];
  let bytes = 0;
  for (const src of sources) {
    const body = Buffer.from(await (await fetch(new URL(src.replaceAll("&amp;", "&"), baseUrl))).arrayBuffer());
    bytes += gzipSync(body).length;
  }
  return bytes / 1024;
}

const suite: BenchSuite = {
  name: "Applications page (next start, 100,000 applications)",
  async run(): Promise<BenchResult[]> {
    const { startStack } = await import("../scripts/e2e/stack");
    const saved = { ...process.env };
    const stack = await startStack({
      build: "if-missing",
      serverLog: path.join(os.tmpdir(), "guildgate-bench-page-server.log"),
      log: (m) => console.log(`  [stack] ${m}`),
    });
    try {
      const { db, baseUrl } = stack;
      const { createSession, SESSION_COOKIE } = await import("../src/lib/security/session");
      const { encodeCursor, listApplications } = await import("../src/lib/applications/queries/list-applications");
      const org = await db.organization.create({ data: { slug: "bench", name: "Bench Community" } });
      const user = await db.user.create({ data: { discordUserId: "1200000000000000100", name: "Bench Admin" } });
      await db.membership.create({ data: { userId: user.id, organizationId: org.id, role: "OWNER" } });
      const { token } = await createSession({ userId: user.id });
      const cookie = `${SESSION_COOKIE}=${token}`;
      // Six states in rotation, one a second apart, newest first: ~16,700 PENDING rows.
      await db.$executeRawUnsafe(
        `INSERT INTO "Application" ("organizationId", "applicantName", "answers", "status", "roleAssignmentStatus", "createdAt", "updatedAt")
         SELECT $1::uuid, 'Applicant ' || g, '[]'::jsonb,
                (ARRAY['PENDING','APPROVED','REJECTED','APPROVED_PENDING_ROLE','APPROVED_ROLE_ASSIGNED','APPROVED_ROLE_FAILED'])[1 + g % 6]::"ApplicationStatus",
                'NOT_APPLICABLE', now() - g * interval '1 second', now()
         FROM generate_series(1, ${APPLICATIONS}) g`,
        org.id,
      );
      await db.$executeRawUnsafe(`ANALYZE "Application"`);

      const first = `${baseUrl}/dashboard/bench/applications?status=PENDING`;
      const deepRow = await db.application.findFirstOrThrow({
        where: { organizationId: org.id, status: "PENDING" },
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        skip: DEPTH,
        select: { createdAt: true, id: true },
      });
      const deep = `${first}&cursor=${encodeCursor(deepRow)}`;
      await timeRequests(first, cookie, WARMUP);
      await timeRequests(deep, cookie, WARMUP);
      const firstSamples = await timeRequests(first, cookie, SAMPLES);
      const deepSamples = await timeRequests(deep, cookie, SAMPLES);

      const where = { organizationId: org.id, status: "PENDING" as const };
      const keyset = await timeQueries(
        () => listApplications({ ...where, cursor: encodeCursor(deepRow), limit: 25, db }),
        SAMPLES,
      );
      const offset = await timeQueries(
        () =>
          db.application.findMany({ where, orderBy: [{ createdAt: "desc" }, { id: "desc" }], skip: DEPTH, take: 26 }),
        SAMPLES,
      );
      const js = await pageJavaScriptKb(baseUrl, first, cookie);

      const p95 = percentile(firstSamples, 95);
      return [
        {
          name: "page render, first page filtered, p50",
          value: percentile(firstSamples, 50),
          unit: "ms",
          baseline: percentile(deepSamples, 50),
          baselineLabel: `page ${DEPTH.toLocaleString("en-US")} rows deep`,
          higherIsBetter: false,
        },
        {
          name: "page render, first page filtered, p95",
          value: p95,
          unit: "ms",
          baseline: percentile(deepSamples, 95),
          baselineLabel: `page ${DEPTH.toLocaleString("en-US")} rows deep`,
          higherIsBetter: false,
          target: "< 150 ms",
          met: p95 < 150,
        },
        {
          name: `list query ${DEPTH.toLocaleString("en-US")} rows deep (keyset), p50`,
          value: percentile(keyset, 50),
          unit: "ms",
          baseline: percentile(offset, 50),
          baselineLabel: "OFFSET pagination",
          higherIsBetter: false,
        },
        {
          name: "JavaScript for the page (gzip)",
          value: js,
          unit: "KB",
          higherIsBetter: false,
          target: "< 150 KB",
          met: js < 150,
        },
      ];
    } finally {
      await stack.stop();
      // Later suites read DATABASE_URL and the secrets: give them back the environment they started with.
      for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
      Object.assign(process.env, saved);
      const { resetEnvCache } = await import("../src/lib/env");
      resetEnvCache();
    }
  },
};

export default suite;
