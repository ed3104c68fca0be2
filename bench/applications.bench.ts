// Applications: approvals through the state machine and the job queue, and POST /api/discord/assign-role under 50
// concurrent clients. Discord is the in-memory fake (unthrottled) mounted with msw, as in the tests; here the route
// is measured in-process (its handler called with real Requests); bench/assign-role-http.bench.ts measures it
// through `next start` over HTTP.
// Baselines are written like source document 004: an unconditional UPDATE followed by the Discord call inline in
// the approval request, and an assign-role route that only regex-checks the ids and calls Discord with the
// platform token. Uses DATABASE_URL, or a throw-away embedded PostgreSQL.
import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import { benchDatabase, type BenchResult, type BenchSuite, percentile } from "./lib";

const APPROVALS = 200;
const ROUTE_REQUESTS = 1_000;
const CLIENTS = 50;

/** n requests spread over `clients` concurrent loops; returns per-request latencies in ms. */
async function concurrently(clients: number, n: number, call: (i: number) => Promise<void>): Promise<number[]> {
  const samples: number[] = [];
  let next = 0;
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
  return samples;
}

const suite: BenchSuite = {
  name: "applications and role assignment",
  run: async () => {
    const pg = await benchDatabase("applications");
    process.env.DATABASE_URL = pg.url;
    process.env.VAULT_KEYS ??= `1:${randomBytes(32).toString("base64")}`;
    process.env.STATE_SIGNING_SECRET ??= randomBytes(36).toString("base64");
    process.env.DISCORD_CLIENT_ID ??= "1100000000000000001";
    process.env.DISCORD_CLIENT_SECRET ??= "bench-client-secret";
    process.env.DISCORD_TOKEN ??= "bench-platform-bot-token";
    process.env.LOG_LEVEL ??= "silent";
    const { resetEnvCache, env } = await import("../src/lib/env");
    resetEnvCache();
    const { http } = await import("msw");
    const { setupServer } = await import("msw/node");
    const { DiscordFake } = await import("../tests/fakes/discord/fake");
    const { seedStandardWorld, WORLD_IDS } = await import("../tests/fakes/discord/world");
    const { db, disconnectDb } = await import("../src/lib/db");
    const { updateApplicationStatus } = await import("../src/lib/applications/review");
    const { startJobRunner } = await import("../src/lib/jobs/runner");
    const { createApplicationTasks } = await import("../src/lib/applications/tasks");
    const { DEFAULT_ROLE_SETTINGS } = await import("../src/lib/applications/settings");
    const { createDiscordRoleGateway } = await import("../src/lib/applications/discord-gateway");
    const { getGuildBotToken } = await import("../src/lib/discord/token-resolver");
    const { ensureJobSchema } = await import("../src/lib/jobs/migrate");
    const { createToken } = await import("../src/lib/security/api-tokens");
    const { POST: assignRoute } = await import("../src/app/api/discord/assign-role/route");

    const fake = new DiscordFake();
    seedStandardWorld(fake.model, { clientId: env.DISCORD_CLIENT_ID!, clientSecret: env.DISCORD_CLIENT_SECRET!, botToken: env.DISCORD_TOKEN! });
    const server = setupServer(http.all("https://discord.com/*", ({ request }) => fake.handle(request)));
    server.listen({ onUnhandledRequest: "error" });
    const users: string[] = [];
    for (let i = 0; i < APPROVALS; i++) {
      const id = String(1_300_000_000_000_000_000n + BigInt(i));
      fake.model.addUser({ id, username: `bench_${i}` });
      fake.model.addMember(WORLD_IDS.guild, id);
      users.push(id);
    }

    const results: BenchResult[] = [];
    try {
      await ensureJobSchema();
      await db.$executeRaw`DELETE FROM "Organization" WHERE "slug" LIKE 'bench-apps-%'`;
      await db.$executeRaw`DELETE FROM graphile_worker._private_jobs`;
      const org = await db.organization.create({ data: { slug: "bench-apps-1", name: "Bench" } });
      await db.discordConnection.create({
        data: { organizationId: org.id, guildId: WORLD_IDS.guild, approvedRoleId: WORLD_IDS.approvedRole, state: "CONNECTED" },
      });
      const reviewer = await db.user.upsert({ where: { discordUserId: WORLD_IDS.admin }, update: {}, create: { discordUserId: WORLD_IDS.admin, name: "Bench Reviewer" } });
      const seed = () =>
        Promise.all(
          users.map((u) => db.application.create({ data: { organizationId: org.id, applicantDiscordId: u, applicantName: "Bench" }, select: { id: true } })),
        ).then((rows) => rows.map((r) => r.id));

      // 1. Approvals committed per second, sequential, as admins click: ours (conditional transition + audit +
      // job in one transaction) vs the baseline (unconditional UPDATE, then the Discord call inside the request).
      let ids = await seed();
      let t = performance.now();
      for (const id of ids) await updateApplicationStatus({ applicationId: id, organizationId: org.id, status: "APPROVED", reviewerId: reviewer.id });
      const ourApprovals = APPROVALS / ((performance.now() - t) / 1000);

      // 2. ...and until every role is assigned, through the worker (one queue for the guild).
      const settings = {
        ...DEFAULT_ROLE_SETTINGS,
        gateway: createDiscordRoleGateway({ resolveToken: async (g: string) => (await getGuildBotToken(g)).token, timeoutMs: 10_000 }),
      };
      const runner = await startJobRunner({ taskList: createApplicationTasks(settings), concurrency: 4, pollInterval: 100 });
      for (;;) {
        const left = await db.application.count({ where: { organizationId: org.id, status: "APPROVED_PENDING_ROLE" } });
        if (left === 0) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      const ourEndToEnd = APPROVALS / ((performance.now() - t) / 1000);
      await runner.stop();

      await db.application.deleteMany({ where: { organizationId: org.id } });
      ids = await seed();
      const { createDiscordClient } = await import("../src/lib/discord/client");
      const platform = createDiscordClient({ token: env.DISCORD_TOKEN!, kind: "Bot" });
      t = performance.now();
      for (let i = 0; i < ids.length; i++) {
        await db.application.update({ where: { id: ids[i] }, data: { status: "APPROVED_PENDING_ROLE", reviewedById: reviewer.id, reviewedAt: new Date() } });
        await platform.addGuildMemberRole(WORLD_IDS.guild, users[i]!, WORLD_IDS.approvedRole);
        await db.application.update({ where: { id: ids[i] }, data: { status: "APPROVED_ROLE_ASSIGNED", roleAssignmentStatus: "SUCCESS" } });
      }
      const baselineApprovals = APPROVALS / ((performance.now() - t) / 1000);
      const label = "inline Discord call in the approval request (source 004)";
      results.push(
        { name: "approvals committed per second (state machine + enqueue)", value: ourApprovals, unit: "approvals/s", baseline: baselineApprovals, baselineLabel: label, higherIsBetter: true },
        { name: "roles assigned per second end to end (approval -> job -> Discord, one guild)", value: ourEndToEnd, unit: "roles/s", baseline: baselineApprovals, baselineLabel: label, higherIsBetter: true },
      );

      // 3. POST /api/discord/assign-role, 50 concurrent clients, in-process.
      const { token } = await createToken({ organizationId: org.id, createdById: null, name: "bench", scopes: ["roles:assign"] });
      const request = (i: number) =>
        new Request("http://localhost:3000/api/discord/assign-role", {
          method: "POST",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          body: JSON.stringify({ guild_id: WORLD_IDS.guild, user_id: users[i % users.length], role_id: WORLD_IDS.approvedRole }),
        });
      const context = { params: Promise.resolve({}) };
      await concurrently(CLIENTS, 100, async (i) => void (await assignRoute(request(i), context)));
      const ours = await concurrently(CLIENTS, ROUTE_REQUESTS, async (i) => {
        const response = await assignRoute(request(i), context);
        if (response.status !== 200) throw new Error(`assign-role answered ${response.status}`);
      });
      // The source route: regex-checked ids, no token, no tenant checks, platform bot, JSON errors.
      const baselineRoute = async (req: Request) => {
        const { guild_id, user_id, role_id } = (await req.json()) as Record<string, string>;
        for (const id of [guild_id, user_id, role_id]) if (!/^\d{17,19}$/.test(String(id))) return Response.json({ error: "Invalid id" }, { status: 400 });
        await platform.addGuildMemberRole(guild_id!, user_id!, role_id!);
        return Response.json({ success: true });
      };
      const base = await concurrently(CLIENTS, ROUTE_REQUESTS, async (i) => void (await baselineRoute(request(i))));
      const routeLabel = "source 004 route: regex ids, no auth or tenant checks";
      results.push(
        { name: `assign-role route p50, ${CLIENTS} concurrent clients (in-process)`, value: percentile(ours, 50), unit: "ms", baseline: percentile(base, 50), baselineLabel: routeLabel, higherIsBetter: false },
        { name: `assign-role route p99, ${CLIENTS} concurrent clients (in-process)`, value: percentile(ours, 99), unit: "ms", baseline: percentile(base, 99), baselineLabel: routeLabel, higherIsBetter: false },
      );
      // 4. 100 approvals in one guild with member-role updates limited to 10 per second: the time until all are
      // assigned, against the limit's 10 s minimum (target: within 15%). Baseline: the same 100 PUTs made
      // directly with the client, no queue, so the difference is the state machine and job overhead.
      const RATE_LIMITED = 100;
      const PUT = "PUT /guilds/{guild_id}/members/{user_id}/roles/{role_id}";
      fake.configureRateLimits({ routes: { [PUT]: { limit: 10, windowMs: 1_000 } } });
      await db.application.deleteMany({ where: { organizationId: org.id } });
      await new Promise((r) => setTimeout(r, 1_100)); // an empty bucket for each side
      const limitedIds = (await seed()).slice(0, RATE_LIMITED);
      for (const id of limitedIds) await updateApplicationStatus({ applicationId: id, organizationId: org.id, status: "APPROVED", reviewerId: reviewer.id });
      t = performance.now();
      const limitedRunner = await startJobRunner({ taskList: createApplicationTasks(settings), concurrency: 4, pollInterval: 100 });
      while ((await db.application.count({ where: { id: { in: limitedIds }, status: "APPROVED_ROLE_ASSIGNED" } })) < RATE_LIMITED) {
        await new Promise((r) => setTimeout(r, 20));
      }
      const oursLimited = (performance.now() - t) / 1000;
      await limitedRunner.stop();
      await new Promise((r) => setTimeout(r, 1_100));
      t = performance.now();
      for (let i = 0; i < RATE_LIMITED; i++) await platform.addGuildMemberRole(WORLD_IDS.guild, users[i]!, WORLD_IDS.approvedRole);
      const baselineLimited = (performance.now() - t) / 1000;
      results.push({
        name: `${RATE_LIMITED} approvals assigned under a 10/s member-role limit (minimum 10 s)`,
        value: oursLimited,
        unit: "s",
        baseline: baselineLimited,
        baselineLabel: "the same PUTs sent directly with the client",
        higherIsBetter: false,
        target: "<= 11.5 s (within 15% of 10 s)",
        met: oursLimited <= 11.5,
      });
      await db.organization.delete({ where: { id: org.id } });
    } finally {
      server.close();
      await disconnectDb();
      await pg.stop();
    }
    return results;
  },
};

export default suite;
