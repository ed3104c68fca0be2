// POST /api/discord/assign-role over HTTP: `next start` (the production build in .next-e2e, built when missing) on
// the e2e stack (embedded PostgreSQL, the Discord sandbox over HTTP), 1,000 requests from 50 concurrent clients
// with keep-alive. Baseline in the same run, also over HTTP and against the same sandbox: the source document 004
// route (regex-checked ids, the platform bot, no token, tenant or role checks) as a tiny node:http server here.
// Floors show what dominates: GET /api/health through `next start`, the route refused before any Discord call, and
// the sandbox's PUT called directly.
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { type BenchResult, type BenchSuite, percentile } from "./lib";

const REQUESTS = 1_000;
const WARMUP = 100;
const CLIENTS = 50;
const MEMBERS = 200;
const REQUEST_TIMEOUT_MS = 30_000;
const PUT_ROUTE = "PUT /guilds/{guild_id}/members/{user_id}/roles/{role_id}";
/** @discordjs/rest's default globalRequestsPerSecond (Discord's global limit per bot), which src/lib/discord/client keeps. */
const GLOBAL_PER_SECOND = 50;

type Run = { samples: number[]; perSecond: number };

/**
 * CPU seconds (user + system) used so far by `pid` and all its descendants, from /proc (Linux). The stack starts the
 * server through `npm start`, so `pid` is npm's: the node process running server.js is a descendant (npm, sh, node),
 * and it is what this sums; `names` says which processes were counted.
 */
function treeCpuSeconds(pid: number, names?: Set<string>): number {
  const ticks = 100; // USER_HZ on Linux
  const stats = new Map<number, { ppid: number; cpu: number; name: string }>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const raw = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = raw.slice(raw.lastIndexOf(")") + 2).split(" ");
      const name = raw.slice(raw.indexOf("(") + 1, raw.lastIndexOf(")"));
      stats.set(Number(entry), {
        ppid: Number(fields[1]),
        cpu: (Number(fields[11]) + Number(fields[12])) / ticks,
        name,
      });
    } catch {
      // the process ended meanwhile
    }
  }
  const inTree = (p: number): boolean => {
    for (let cur = p, hops = 0; cur > 1 && hops < 20; hops++) {
      if (cur === pid) return true;
      cur = stats.get(cur)?.ppid ?? 0;
    }
    return false;
  };
  let total = 0;
  for (const [p, s] of stats) {
    if (!inTree(p)) continue;
    total += s.cpu;
    names?.add(s.name);
  }
  return total;
}

/** Server CPU milliseconds per request over `run`. */
async function cpuPerRequest(pid: number, n: number, run: () => Promise<unknown>): Promise<number> {
  const before = treeCpuSeconds(pid);
  await run();
  return ((treeCpuSeconds(pid) - before) * 1000) / n;
}

/** n requests from `clients` concurrent loops; per-request latencies in ms and the overall rate. */
async function concurrently(clients: number, n: number, call: (i: number) => Promise<void>): Promise<Run> {
  const samples: number[] = [];
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < n) {
        const i = next++;
        const t = performance.now();
        await call(i);
        samples.push(performance.now() - t);
      }
    }),
  );
  return { samples, perSecond: n / ((performance.now() - start) / 1000) };
}

async function expectStatus(response: Response, status: number, what: string): Promise<void> {
  const text = await response.text(); // drained either way, so the keep-alive connection is reused
  if (response.status !== status) throw new Error(`${what} answered ${response.status}: ${text.slice(0, 200)}`);
}

async function sandboxAdmin(sandboxUrl: string, route: string, body: unknown): Promise<void> {
  const response = await fetch(`${sandboxUrl}/_sandbox/${route}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`sandbox ${route} answered ${response.status}: ${await response.text()}`);
}

/** The source document 004 route, served over HTTP: regex ids, platform bot, JSON errors, nothing else. */
async function startBaselineServer(addRole: (guildId: string, userId: string, roleId: string) => Promise<void>) {
  const server = http.createServer((req, res) => {
    void (async () => {
      try {
        const chunks: Buffer[] = [];
        for await (const chunk of req) chunks.push(chunk as Buffer);
        const { guild_id, user_id, role_id } = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<
          string,
          string
        >;
        if (![guild_id, user_id, role_id].every((id) => /^\d{17,19}$/.test(String(id)))) {
          res.writeHead(400, { "content-type": "application/json" }).end(JSON.stringify({ error: "Invalid id" }));
          return;
        }
        await addRole(guild_id!, user_id!, role_id!);
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ success: true }));
      } catch {
        res.writeHead(500, { "content-type": "application/json" }).end(JSON.stringify({ error: "Failed" }));
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const suite: BenchSuite = {
  name: "POST /api/discord/assign-role over HTTP (next start, 50 concurrent clients)",
  async run(): Promise<BenchResult[]> {
    const { startStack } = await import("../scripts/e2e/stack");
    const saved = { ...process.env };
    const stack = await startStack({
      build: "if-missing",
      serverLog: path.join(os.tmpdir(), "guildgate-bench-assign-role-server.log"),
      log: (m) => console.log(`  [stack] ${m}`),
    });
    let baseline: Awaited<ReturnType<typeof startBaselineServer>> | undefined;
    try {
      const { db, baseUrl, sandbox } = stack;
      // The baseline's Discord client talks to this stack's sandbox with the platform bot, as next start does.
      Object.assign(process.env, sandbox.env);
      const { resetEnvCache } = await import("../src/lib/env");
      resetEnvCache();
      const { createDiscordClient } = await import("../src/lib/discord/client");
      const { createToken } = await import("../src/lib/security/api-tokens");
      const { WORLD_IDS } = await import("../tests/fakes/discord/world");

      // Generous limits: the figure is the route's cost, not Discord's 10 member-role updates per 10 s.
      const generous = { limit: 1_000_000, windowMs: 1_000 };
      await sandboxAdmin(sandbox.url, "rate-limits", {
        global: generous,
        defaultRoute: generous,
        routes: { [PUT_ROUTE]: generous },
      });
      const users: string[] = [];
      for (let i = 0; i < MEMBERS; i++) {
        const id = String(1_300_000_000_000_000_000n + BigInt(i));
        await sandboxAdmin(sandbox.url, "users", { id, username: `bench_${i}` });
        await sandboxAdmin(sandbox.url, `guilds/${WORLD_IDS.guild}/members`, { userId: id });
        users.push(id);
      }

      // An organization connected to the sandbox's demo guild with its approved role, using the platform bot.
      const org = await db.organization.create({ data: { slug: "bench-assign-role", name: "Bench" } });
      await db.discordConnection.create({
        data: {
          organizationId: org.id,
          guildId: WORLD_IDS.guild,
          approvedRoleId: WORLD_IDS.approvedRole,
          state: "CONNECTED",
        },
      });
      const { token } = await createToken({
        organizationId: org.id,
        createdById: null,
        name: "bench",
        scopes: ["roles:assign"],
      });

      const post = (url: string, i: number, options: { authorization?: string; roleId?: string } = {}) =>
        fetch(url, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            ...(options.authorization ? { authorization: options.authorization } : {}),
          },
          body: JSON.stringify({
            guild_id: WORLD_IDS.guild,
            user_id: users[i % users.length],
            role_id: options.roleId ?? WORLD_IDS.approvedRole,
          }),
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
      const authorization = `Bearer ${token}`;
      const ours = async (i: number) =>
        expectStatus(await post(`${baseUrl}/api/discord/assign-role`, i, { authorization }), 200, "assign-role");

      const platform = createDiscordClient({ token: sandbox.env.DISCORD_TOKEN, kind: "Bot" });
      baseline = await startBaselineServer((g, u, r) => platform.addGuildMemberRole(g, u, r));
      const baselineUrl = baseline.url;
      const theirs = async (i: number) => expectStatus(await post(baselineUrl, i), 200, "baseline route");

      await concurrently(CLIENTS, WARMUP, ours);
      await concurrently(CLIENTS, WARMUP, theirs);
      const before = sandbox.fake.countRequests(PUT_ROUTE);
      const oursRun = await concurrently(CLIENTS, REQUESTS, ours);
      const putsByUs = sandbox.fake.countRequests(PUT_ROUTE) - before;
      if (putsByUs !== REQUESTS)
        throw new Error(`expected ${REQUESTS} member-role PUTs from the route, the sandbox saw ${putsByUs}`);
      const baseRun = await concurrently(CLIENTS, REQUESTS, theirs);

      // The floors: next start's own cost for a trivial route, our route's own cost (token, tenant and role checks,
      // refused before any Discord call), and the sandbox's PUT without any client library.
      const health = await concurrently(CLIENTS, REQUESTS, async () =>
        expectStatus(
          await fetch(`${baseUrl}/api/health`, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) }),
          200,
          "health",
        ),
      );
      const refused = await concurrently(CLIENTS, REQUESTS, async (i) =>
        expectStatus(
          await post(`${baseUrl}/api/discord/assign-role`, i, { authorization, roleId: WORLD_IDS.staffRole }),
          403,
          "assign-role (staff role)",
        ),
      );
      const directPut = await concurrently(CLIENTS, REQUESTS, async (i) =>
        expectStatus(
          await fetch(
            `${sandbox.env.DISCORD_API_BASE_URL}/guilds/${WORLD_IDS.guild}/members/${users[i % users.length]}/roles/${WORLD_IDS.approvedRole}`,
            {
              method: "PUT",
              headers: { authorization: `Bot ${sandbox.env.DISCORD_TOKEN}` },
              signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
            },
          ),
          204,
          "sandbox PUT",
        ),
      );
      // Server CPU per request, side by side (issue 18 item 2): a trivial route (GET /api/health: one SELECT 1) and
      // the refused assign-role (token, organization and connection checks, no Discord call), measured alternately.
      const serverPid = stack.serverPid!;
      const counted = new Set<string>();
      treeCpuSeconds(serverPid, counted);
      if (![...counted].some((name) => name.startsWith("node") || name.startsWith("next-server")))
        throw new Error(`no node process under the server's pid ${serverPid}: ${[...counted].join(", ")}`);
      console.log(`  server CPU counted for: ${[...counted].sort().join(", ")} (npm start's process tree)`);
      const healthCall = async () =>
        expectStatus(
          await fetch(`${baseUrl}/api/health`, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) }),
          200,
          "health",
        );
      const refusedCall = async (i: number) =>
        expectStatus(
          await post(`${baseUrl}/api/discord/assign-role`, i, { authorization, roleId: WORLD_IDS.memberRole }),
          403,
          "assign-role (member role)",
        );
      const cpu = { health: [] as number[], refused: [] as number[] };
      for (let round = 0; round < 3; round++) {
        cpu.health.push(await cpuPerRequest(serverPid, REQUESTS, () => concurrently(CLIENTS, REQUESTS, healthCall)));
        cpu.refused.push(await cpuPerRequest(serverPid, REQUESTS, () => concurrently(CLIENTS, REQUESTS, refusedCall)));
      }
      const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[1]!;
      console.log(
        `  server CPU per request (3 alternating rounds of ${REQUESTS}): health ${cpu.health.map((v) => v.toFixed(2)).join(" / ")} ms; refused assign-role ${cpu.refused.map((v) => v.toFixed(2)).join(" / ")} ms`,
      );

      const p = (run: Run, q: number) => percentile(run.samples, q);
      console.log(
        `  floors, ${CLIENTS} clients: GET /api/health via next start p50 ${p(health, 50).toFixed(1)} ms (${Math.round(health.perSecond)}/s); ` +
          `assign-role refused before Discord (403) p50 ${p(refused, 50).toFixed(1)} ms (${Math.round(refused.perSecond)}/s); ` +
          `sandbox PUT direct p50 ${p(directPut, 50).toFixed(1)} ms (${Math.round(directPut.perSecond)}/s)`,
      );
      console.log(
        `  what dominates: @discordjs/rest holds each bot token to Discord's global ${GLOBAL_PER_SECOND} requests/s before sending ` +
          `(ours ${oursRun.perSecond.toFixed(1)}/s, baseline ${baseRun.perSecond.toFixed(1)}/s), so ${CLIENTS} clients queue about ` +
          `${CLIENTS}/${GLOBAL_PER_SECOND} s in the client; HTTP, next start and our checks are the floors above.`,
      );

      const label = "source 004 route over node:http: regex ids, platform bot, no auth or tenant checks";
      return [
        {
          name: `assign-role p50, ${CLIENTS} concurrent clients (next start)`,
          value: p(oursRun, 50),
          unit: "ms",
          baseline: p(baseRun, 50),
          baselineLabel: label,
          higherIsBetter: false,
        },
        {
          name: `assign-role p99, ${CLIENTS} concurrent clients (next start)`,
          value: p(oursRun, 99),
          unit: "ms",
          baseline: p(baseRun, 99),
          baselineLabel: label,
          higherIsBetter: false,
        },
        {
          name: `assign-role throughput, ${CLIENTS} concurrent clients (next start)`,
          value: oursRun.perSecond,
          unit: "requests/s",
          baseline: baseRun.perSecond,
          baselineLabel: label,
          higherIsBetter: true,
        },
        {
          name: `floor: GET /api/health p50 via next start, ${CLIENTS} clients`,
          value: p(health, 50),
          unit: "ms",
          higherIsBetter: false,
        },
        {
          name: `floor: assign-role refused before Discord (403 role_not_assignable) p50, ${CLIENTS} clients`,
          value: p(refused, 50),
          unit: "ms",
          higherIsBetter: false,
        },
        {
          name: `floor: sandbox member-role PUT p50 called directly, ${CLIENTS} clients`,
          value: p(directPut, 50),
          unit: "ms",
          higherIsBetter: false,
        },
        {
          name: "server CPU per refused assign-role (403 role_not_assignable), median of 3",
          value: median(cpu.refused),
          unit: "ms CPU/request",
          baseline: median(cpu.health),
          baselineLabel: "GET /api/health (one SELECT 1) through the same next start",
          higherIsBetter: false,
          target: "at most 2x the trivial route",
          met: median(cpu.refused) <= 2 * median(cpu.health),
        },
      ];
    } finally {
      await baseline?.close();
      await stack.stop();
      // Later suites read DATABASE_URL, the secrets and the Discord URLs: give them back the environment they started with.
      for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
      Object.assign(process.env, saved);
      const { resetEnvCache } = await import("../src/lib/env");
      resetEnvCache();
    }
  },
};

export default suite;
