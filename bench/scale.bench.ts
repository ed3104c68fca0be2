// Scale of the job layout (issue 18 item 1): role jobs in no named queue, paced by a per-guild schedule row, against
// the earlier layout of one graphile-worker queue per guild, in the same run on the same database.
//  1. Job fetch p50 and WAL per fetch with 0 / 1k / 10k / 100k guilds. The fetch is graphile-worker 0.17.3's own
//     statement (node_modules/graphile-worker/dist/sql/getJobs.js, named-queue strategy 2, batch size 1), run by
//     hand so only its cost is timed. Ours: N guild schedule rows and N jobs scheduled an hour ahead (member
//     re-checks); baseline: the same plus N named queues, as the earlier layout left them.
//  2. Idle WAL of a real runner (production settings: 2 s poll, concurrency 5, heartbeats every 5 s, no crontab)
//     with 100k guilds and 100k scheduled jobs, and the same runner with the earlier layout's 100k queues.
//  3. Roles per second at 1 / 100 / 1,000 guilds, each with its own bot, on the unthrottled Discord fake (msw), a
//     real runner with production settings except the member-role plan (set to unthrottled like the fake), beside
//     the direct-PUT floor: the same PUTs sent straight with each guild's bot client, 5 at a time (the runner's
//     concurrency). Ours is timed from the commit of the jobs to the last outcome, with the runner already running. Scaled down to fit a shared 2-core machine: 1 x 100, 100 x 5 and 1,000 x 1 approvals (the
//     issue's 1,000 x 10 would take ten times as long for the same per-guild cold costs).
// Uses DATABASE_URL, or a throw-away embedded PostgreSQL.
import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import { BENCH_DISCORD_APP, benchDatabase, benchEnv, type BenchResult, type BenchSuite, percentile } from "./lib";

const GUILD_COUNTS = [0, 1_000, 10_000, 100_000];

/** CPU time of this process (the runner, the fake and the watcher; PostgreSQL's is its own) per operation since `since`. */
function cpuMsPer(since: NodeJS.CpuUsage, operations: number): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000 / operations;
}
/** Which parts run (default all): SCALE_BENCH_PARTS=fetch,idle,statement,roles. */
const parts = new Set((process.env.SCALE_BENCH_PARTS ?? "fetch,idle,statement,roles").split(","));
const FETCHES = 25;
const IDLE_MS = 12_000;
/** SCALE_ROLE_RUNS=1x100,100x5 picks runs (guilds x approvals per guild). */
const ROLE_RUNS = (process.env.SCALE_ROLE_RUNS ?? "1x100,100x10,1000x10,1000x1").split(",").map((run) => {
  const [guilds, perGuild] = run.split("x").map(Number);
  return { guilds: guilds!, perGuild: perGuild! };
});

// graphile-worker 0.17.3's fetch (getJobs.js, strategy 2, no flags, database time).
const FETCH_SQL = `
with j as (
  select jobs.job_queue_id, jobs.priority, jobs.run_at, jobs.id
    from graphile_worker._private_jobs as jobs
    where jobs.is_available = true
    and run_at <= now()
    and task_id = any($2::int[])
    and (
      jobs.job_queue_id is null
      or
      jobs.job_queue_id in (
        select id
        from graphile_worker._private_job_queues as job_queues
        where job_queues.is_available = true
        for update
        skip locked
      )
    )
    order by priority asc, run_at asc
    limit 1
    for update
    skip locked
),
q as (
  update graphile_worker._private_job_queues as job_queues
    set
      locked_by = $1::text,
      locked_at = now()
    from j
    where job_queues.id = j.job_queue_id
)
  update graphile_worker._private_jobs as jobs
    set
      attempts = jobs.attempts + 1,
      locked_by = $1::text,
      locked_at = now()
    from j
    where jobs.id = j.id
    returning jobs.id::text, jobs.job_queue_id`;

const suite: BenchSuite = {
  name: "scale: job layout from 0 to 100,000 guilds",
  run: async () => {
    const database = await benchDatabase("scale");
    await benchEnv({ databaseUrl: database.url, defaults: BENCH_DISCORD_APP });
    const { env } = await import("../src/lib/env");
    const pg = (await import("pg")).default;
    const { db, disconnectDb } = await import("../src/lib/db");
    const { ensureJobSchema } = await import("../src/lib/jobs/migrate");
    const { startJobRunner } = await import("../src/lib/jobs/runner");
    const { WORKER_BATCHING } = await import("../src/worker/start-worker");
    const pool = new pg.Pool({ connectionString: database.url, max: 4 });
    const results: BenchResult[] = [];
    const lsn = async () =>
      BigInt(
        (await pool.query<{ n: string }>(`SELECT (pg_current_wal_insert_lsn() - '0/0'::pg_lsn)::text AS n`)).rows[0]!.n,
      );

    try {
      await ensureJobSchema();
      await pool.query(`DELETE FROM graphile_worker._private_jobs`);
      await pool.query(`DELETE FROM graphile_worker._private_job_queues`);
      await pool.query(`DELETE FROM "GuildRoleSchedule"`);
      const taskId = Number(
        (
          await pool.query<{ id: number }>(
            `INSERT INTO graphile_worker._private_tasks (identifier) VALUES ('bench-scale') ON CONFLICT (identifier) DO UPDATE SET identifier = EXCLUDED.identifier RETURNING id`,
          )
        ).rows[0]!.id,
      );
      const recheckTask = Number(
        (
          await pool.query<{ id: number }>(
            `INSERT INTO graphile_worker._private_tasks (identifier) VALUES ('assign-role-member-recheck') ON CONFLICT (identifier) DO UPDATE SET identifier = EXCLUDED.identifier RETURNING id`,
          )
        ).rows[0]!.id,
      );

      /** Grows ours to n guilds: schedule rows and one job an hour ahead per guild. */
      let grown = 0;
      const growGuilds = async (n: number) => {
        if (n <= grown) return;
        await pool.query(
          `INSERT INTO "GuildRoleSchedule" ("guildId", "windowStart", used) SELECT (1300000000000000000 + g)::text, now(), 1 FROM generate_series($1::int, $2::int) g`,
          [grown + 1, n],
        );
        await pool.query(
          `INSERT INTO graphile_worker._private_jobs (task_id, payload, run_at, max_attempts, key)
           SELECT $3, '{}'::json, now() + interval '1 hour', 5, 'member-recheck:bench-' || g FROM generate_series($1::int, $2::int) g`,
          [grown + 1, n, recheckTask],
        );
        grown = n;
        await pool.query(`VACUUM ANALYZE graphile_worker._private_jobs`);
      };
      const legacyQueues = async (n: number) => {
        await pool.query(
          `INSERT INTO graphile_worker._private_job_queues (queue_name) SELECT 'discord-guild:' || (1300000000000000000 + g) FROM generate_series(1, $1::int) g`,
          [n],
        );
        await pool.query(`VACUUM ANALYZE graphile_worker._private_job_queues`);
      };
      const dropQueues = async () => {
        await pool.query(`UPDATE graphile_worker._private_jobs SET job_queue_id = NULL WHERE job_queue_id IS NOT NULL`);
        await pool.query(`DELETE FROM graphile_worker._private_job_queues`);
      };

      /** p50 of the fetch (ms) and WAL bytes per fetch, for a ready job in `queue` (null: no queue). */
      const measureFetch = async (queue: string | null) => {
        const client = await pool.connect();
        const times: number[] = [];
        let wal = 0n;
        try {
          for (let i = 0; i < FETCHES + 3; i++) {
            const queueId = queue
              ? (
                  await client.query<{ id: number }>(
                    `SELECT id FROM graphile_worker._private_job_queues WHERE queue_name = $1`,
                    [queue],
                  )
                ).rows[0]!.id
              : null;
            await client.query(
              `INSERT INTO graphile_worker._private_jobs (task_id, payload, max_attempts, job_queue_id) VALUES ($1, '{}'::json, 5, $2)`,
              [taskId, queueId],
            );
            const before = await lsn();
            const t = performance.now();
            const got = await client.query<{ id: string }>(FETCH_SQL, ["bench-worker", [taskId]]);
            const elapsed = performance.now() - t;
            const after = await lsn();
            if (got.rowCount !== 1) throw new Error("the fetch found no job");
            // What completing a job does: delete it and release its queue.
            await client.query(`DELETE FROM graphile_worker._private_jobs WHERE id = $1::bigint`, [got.rows[0]!.id]);
            if (queueId !== null)
              await client.query(
                `UPDATE graphile_worker._private_job_queues SET locked_at = NULL, locked_by = NULL WHERE id = $1`,
                [queueId],
              );
            if (i >= 3) {
              times.push(elapsed);
              wal += after - before;
            }
          }
        } finally {
          client.release();
        }
        return { p50: percentile(times, 50), walPerFetch: Number(wal) / FETCHES };
      };

      // 1. Fetch cost by guild count.
      let empty = 0;
      for (const n of parts.has("fetch") || parts.has("idle") ? GUILD_COUNTS : []) {
        await growGuilds(n);
        const ours = await measureFetch(null);
        if (n === 0) empty = ours.p50;
        await legacyQueues(Math.max(1, n));
        const base = await measureFetch(`discord-guild:${1300000000000000000n + 1n}`);
        await dropQueues();
        const label = `one queue per guild (${n.toLocaleString("en-US")} queues)`;
        results.push({
          name: `job fetch p50, ${n.toLocaleString("en-US")} guilds`,
          value: ours.p50,
          unit: "ms",
          baseline: base.p50,
          baselineLabel: label,
          higherIsBetter: false,
          target: "<= 1.5x the 0-guild fetch",
          met: ours.p50 <= 1.5 * Math.max(empty, 0.05),
        });
        process.stderr.write(
          `[scale] ${n} guilds: fetch p50 ${ours.p50.toFixed(2)} ms vs ${base.p50.toFixed(2)} ms; WAL ${ours.walPerFetch.toFixed(0)} vs ${base.walPerFetch.toFixed(0)} B\n`,
        );
        results.push({
          name: `job fetch WAL, ${n.toLocaleString("en-US")} guilds`,
          value: ours.walPerFetch,
          unit: "B/fetch",
          baseline: base.walPerFetch,
          baselineLabel: label,
          higherIsBetter: false,
        });
      }

      // 2. Idle WAL of a real runner, 100k guilds and 100k scheduled jobs.
      const idleWal = async () => {
        const runner = await startJobRunner({
          taskList: { "bench-scale": async () => {}, "assign-role-member-recheck": async () => {} },
          ...WORKER_BATCHING,
        });
        try {
          await new Promise((r) => setTimeout(r, 4_000));
          await pool.query("CHECKPOINT");
          await new Promise((r) => setTimeout(r, 1_000));
          const before = await lsn();
          const t = performance.now();
          await new Promise((r) => setTimeout(r, IDLE_MS));
          return Number((await lsn()) - before) / 1024 / ((performance.now() - t) / 1000);
        } finally {
          await runner.stop();
        }
      };
      if (parts.has("idle")) {
        const oursIdle = await idleWal();
        await legacyQueues(100_000);
        const baseIdle = await idleWal();
        await dropQueues();
        process.stderr.write(`[scale] idle WAL ${oursIdle.toFixed(2)} KiB/s vs ${baseIdle.toFixed(1)} KiB/s\n`);
        results.push({
          name: "idle runner WAL, 100,000 guilds and 100,000 scheduled jobs",
          value: oursIdle,
          unit: "KiB/s",
          baseline: baseIdle,
          baselineLabel: "one queue per guild (100,000 queues)",
          higherIsBetter: false,
          target: "< 10 KiB/s",
          met: oursIdle < 10,
        });
      }
      await pool.query(`DELETE FROM graphile_worker._private_jobs`);
      await pool.query(`DELETE FROM "GuildRoleSchedule"`);

      // 4. What one raw statement costs this process through Prisma and straight on the same pool (db.ts).
      if (parts.has("statement")) results.push(await statementCpu());

      // 3. Roles per second, guilds with their own bots, unthrottled fake.
      if (parts.has("roles")) results.push(...(await rolesPerSecond(env.DISCORD_CLIENT_ID!)));
    } finally {
      await pool.end();
      await disconnectDb();
      await database.stop();
    }
    return results;

    async function statementCpu(): Promise<BenchResult> {
      const { queryRows } = await import("../src/lib/db");
      const { Prisma } = await import("../src/generated/prisma/client");
      const id = "00000000-0000-0000-0000-000000000000";
      const statement = () => Prisma.sql`SELECT ${id}::uuid AS id, now() AS at, 1 AS n`;
      const cpuPerStatement = async (run: () => Promise<unknown>) => {
        for (let i = 0; i < 300; i++) await run();
        const since = process.cpuUsage();
        await Promise.all(
          Array.from({ length: 5 }, async () => {
            for (let i = 0; i < 600; i++) await run();
          }),
        );
        return cpuMsPer(since, 3_000);
      };
      const prisma = await cpuPerStatement(() => db.$queryRaw(statement()));
      const driver = await cpuPerStatement(() => queryRows(statement()));
      process.stderr.write(
        `[scale] statement CPU ${driver.toFixed(3)} ms on the pool vs ${prisma.toFixed(3)} ms through Prisma\n`,
      );
      return {
        name: "this process's CPU per raw statement on the pool (queryRows), 5 at a time",
        value: driver,
        unit: "ms",
        baseline: prisma,
        baselineLabel: "the same statement through Prisma's $queryRaw",
        higherIsBetter: false,
      };
    }

    async function rolesPerSecond(platformClientId: string): Promise<BenchResult[]> {
      const { http } = await import("msw");
      const { setupServer } = await import("msw/node");
      const { DiscordFake } = await import("../tests/fakes/discord/fake");
      const { storeToken } = await import("../src/lib/crypto/token-vault");
      const { createApplicationTasks } = await import("../src/lib/applications/role-jobs/tasks");
      const { DEFAULT_ROLE_SETTINGS } = await import("../src/lib/applications/role-jobs/settings");
      const { createDiscordRoleGateway } = await import("../src/lib/applications/role-jobs/discord-gateway");
      const { getGuildBotToken } = await import("../src/lib/discord/token-resolver");
      const { createDiscordClient, resetDiscordClients } = await import("../src/lib/discord/client");
      const { enqueueRoleAssignment } = await import("../src/lib/applications/role-jobs/enqueue");
      const out: BenchResult[] = [];
      // Every statement this process sends (Prisma, the pool, graphile-worker and the rate limiter all run on
      // node-postgres's Client), counted to say what a role costs the database beside its CPU.
      const statements = { count: 0 };
      const clientQuery = pg.Client.prototype.query;
      pg.Client.prototype.query = function (this: unknown, ...args: unknown[]) {
        statements.count++;
        return (clientQuery as (...a: unknown[]) => unknown).apply(this, args);
      } as typeof clientQuery;
      const fake = new DiscordFake();
      const server = setupServer(http.all("https://discord.com/*", ({ request }) => fake.handle(request)));
      server.listen({ onUnhandledRequest: "error" });
      try {
        let seq = 0;
        for (const run of ROLE_RUNS) {
          fake.reset();
          resetDiscordClients();
          fake.model.addApplication({
            id: platformClientId,
            name: "Guildgate",
            secret: "x",
            botToken: process.env.DISCORD_TOKEN!,
            redirectUris: [],
          });
          await db.$executeRaw`DELETE FROM "Organization" WHERE slug LIKE 'bench-scale-%'`;
          await db.$executeRaw`DELETE FROM "GuildRoleSchedule"`;
          const owner = fake.model.addUser({ id: "1300000000000000001", username: "owner" });
          const calls: { guildId: string; userId: string; roleId: string; token: string }[] = [];
          const apps: { id: string; organizationId: string }[] = [];
          for (let g = 0; g < run.guilds; g++) {
            seq++;
            const botToken = `bench-bot-${seq}.${randomBytes(12).toString("base64url")}`;
            const application = fake.model.addApplication({
              id: String(1400000000000000000n + BigInt(seq)),
              name: `Bot ${seq}`,
              secret: "x",
              botToken,
              redirectUris: [],
            });
            const guild = fake.model.addGuild({ name: `Guild ${seq}`, ownerId: owner.id });
            const role = fake.model.addRole(guild.id, { name: "Approved", position: 1 });
            fake.model.addBotToGuild(guild.id, application.id);
            const org = await db.organization.create({
              data: { slug: `bench-scale-${seq}`, name: `Bench ${seq}`, botApplicationId: application.id },
            });
            await db.discordConnection.create({
              data: { organizationId: org.id, guildId: guild.id, approvedRoleId: role.id, state: "CONNECTED" },
            });
            await storeToken({
              organizationId: org.id,
              provider: "DISCORD_BOT",
              tokenType: "BOT_TOKEN",
              value: botToken,
            });
            const userIds = Array.from({ length: run.perGuild }, (_, a) => {
              const userId = String(1500000000000000000n + BigInt(seq * 1000 + a));
              fake.model.addUser({ id: userId, username: `u${seq}_${a}` });
              fake.model.addMember(guild.id, userId);
              calls.push({ guildId: guild.id, userId, roleId: role.id, token: botToken });
              return userId;
            });
            apps.push(
              ...(await db.application.createManyAndReturn({
                data: userIds.map((userId) => ({
                  organizationId: org.id,
                  applicantDiscordId: userId,
                  applicantName: "Bench",
                  status: "APPROVED_PENDING_ROLE" as const,
                  roleAssignmentStatus: "PENDING" as const,
                })),
                select: { id: true, organizationId: true },
              })),
            );
          }
          const total = calls.length;
          const settings = {
            ...DEFAULT_ROLE_SETTINGS,
            memberRoleLimit: { limit: 1_000_000, windowMs: 1_000, marginMs: 0 },
            // As start-worker.ts builds it: the resolved token with its organization, whose budget share calls spend.
            gateway: createDiscordRoleGateway({
              resolveToken: (g: string) => getGuildBotToken(g),
              timeoutMs: DEFAULT_ROLE_SETTINGS.timeoutMs,
            }),
          };
          // A running worker, as in production (its start-up is not a role's cost): the runner starts first, then
          // every job is enqueued in one transaction, and the clock starts when it commits (graphile-worker's
          // notification wakes the runner). Production records job outcomes through graphile-worker's batcher
          // (start-worker.ts); so does the bench.
          const runner = await startJobRunner({ taskList: createApplicationTasks(settings), ...WORKER_BATCHING });
          fake.recorded.length = 0;
          await db.$transaction(
            async (tx) => {
              for (const app of apps)
                await enqueueRoleAssignment({ tx, applicationId: app.id, organizationId: app.organizationId });
            },
            { timeout: 300_000 },
          );
          const t = performance.now();
          const cpu = process.cpuUsage();
          const statementsBefore = statements.count;
          // Watching costs the runner nothing measurable: the fake's PUTs counted in memory as they arrive (each record
          // read once) until every PUT is in, then
          // one indexed count (not a Prisma IN list of every id, parsed every 20 ms) until every job recorded its outcome.
          const assigned = async () =>
            Number(
              (
                await db.$queryRaw<{ n: bigint }[]>`
                  SELECT count(*) AS n FROM "Application" a JOIN "Organization" o ON o.id = a."organizationId"
                  WHERE o.slug LIKE 'bench-scale-%' AND a.status = 'APPROVED_ROLE_ASSIGNED'`
              )[0]!.n,
            );
          let seen = 0;
          let putsDone = 0;
          while (putsDone < total) {
            for (; seen < fake.recorded.length; seen++) {
              const r = fake.recorded[seen]!;
              if (r.method === "PUT" && r.status === 204) putsDone++;
            }
            await new Promise((r) => setTimeout(r, 5));
          }
          while ((await assigned()) < total) await new Promise((r) => setTimeout(r, 10));
          const ours = total / ((performance.now() - t) / 1000);
          const ourCpu = cpuMsPer(cpu, total);
          const ourStatements = (statements.count - statementsBefore) / total;
          await runner.stop();
          const ourPuts = fake.recorded.filter((r) => r.method === "PUT");
          const ourOk = ourPuts.filter((r) => r.status === 204).length;
          const our429 = ourPuts.filter((r) => r.status === 429).length;

          // The floor: the same PUTs sent straight with each guild's bot, 5 at a time, fresh clients.
          resetDiscordClients();
          fake.recorded.length = 0;
          let next = 0;
          const t2 = performance.now();
          const cpu2 = process.cpuUsage();
          const floorStatementsBefore = statements.count;
          await Promise.all(
            Array.from({ length: 5 }, async () => {
              while (next < total) {
                const c = calls[next++]!;
                await createDiscordClient({ token: c.token, kind: "Bot" }).addGuildMemberRole(
                  c.guildId,
                  c.userId,
                  c.roleId,
                );
              }
            }),
          );
          const floor = total / ((performance.now() - t2) / 1000);
          const floorCpu = cpuMsPer(cpu2, total);
          const floorStatements = (statements.count - floorStatementsBefore) / total;
          const floorPuts = fake.recorded.filter((r) => r.method === "PUT");
          const floorOk = floorPuts.filter((r) => r.status === 204).length;
          const floor429 = floorPuts.filter((r) => r.status === 429).length;
          if (ourOk !== total || floorOk !== total || our429 !== 0 || floor429 !== 0) {
            throw new Error(
              `PUT counts: ours ${ourOk} ok / ${our429} 429, floor ${floorOk} ok / ${floor429} 429, expected ${total} ok and no 429`,
            );
          }
          process.stderr.write(
            `[scale] ${run.guilds} guilds x ${run.perGuild}: ${ours.toFixed(1)} roles/s vs floor ${floor.toFixed(1)}; ` +
              `this process's CPU per role ${ourCpu.toFixed(2)} ms vs ${floorCpu.toFixed(2)} ms; ` +
              `PostgreSQL statements per role ${ourStatements.toFixed(2)} vs ${floorStatements.toFixed(2)}\n`,
          );
          out.push({
            name: `roles/s, ${run.guilds.toLocaleString("en-US")} guild(s) x ${run.perGuild} approvals, own bots, unthrottled fake (${total} PUTs each side, 0 429s)`,
            value: ours,
            unit: "roles/s",
            baseline: floor,
            baselineLabel: "direct PUTs, 5 at a time",
            higherIsBetter: true,
            target: ">= 25% of the floor",
            met: ours >= 0.25 * floor,
          });
        }
      } finally {
        server.close();
        pg.Client.prototype.query = clientQuery;
      }
      return out;
    }
  },
};

export default suite;
