// What the shared Discord state costs per call: a Discord call through our client (rejected-token check, budget
// shares, the global limit counted in PostgreSQL) beside the same call on a bare @discordjs/rest client, both
// against the HTTP Discord sandbox on loopback, sequential, in the same run. The global limit is set high here so
// the figure is the bookkeeping, not the throttling. Uses DATABASE_URL, or a throw-away embedded PostgreSQL.
import { randomBytes } from "node:crypto";
import { benchDatabase, type BenchResult, type BenchSuite, latencies, percentile } from "./lib";

const CALLS = 400;

const suite: BenchSuite = {
  name: "Discord calls with state shared through PostgreSQL",
  run: async () => {
    const pg = await benchDatabase("discord-state");
    const { startDiscordSandbox } = await import("../tests/fakes/discord/sandbox");
    const { GENEROUS_LIMITS } = await import("../tests/fakes/discord/limits");
    const sandbox = await startDiscordSandbox({ port: 0 });
    sandbox.fake.configureRateLimits(GENEROUS_LIMITS);
    Object.assign(process.env, sandbox.env, {
      DATABASE_URL: pg.url,
      DISCORD_GLOBAL_REQUESTS_PER_SECOND: "10000",
      LOG_LEVEL: "silent",
    });
    process.env.VAULT_KEYS ??= `1:${randomBytes(32).toString("base64")}`;
    process.env.STATE_SIGNING_SECRET ??= randomBytes(36).toString("base64");
    const { resetEnvCache } = await import("../src/lib/env");
    resetEnvCache();
    const { REST } = await import("@discordjs/rest");
    const { Routes } = await import("discord-api-types/v10");
    const { createDiscordClient } = await import("../src/lib/discord/client");
    const { closeRateLimitPool } = await import("../src/lib/rate-limit");
    const guildId = sandbox.world().guild.id;
    const token = sandbox.world().platform.botToken;
    try {
      const bare = new REST({ api: `${sandbox.url}/api`, version: "10", makeRequest: fetch as never }).setToken(token);
      const ours = createDiscordClient({
        token,
        kind: "Bot",
        caller: { purpose: "tenant", organizationId: "bench-org", userId: "bench-user" },
      });
      // Warm both (connections, prepared statements, the REST clients' buckets).
      for (let i = 0; i < 20; i++) {
        await bare.get(Routes.guildRoles(guildId));
        await ours.getGuildRoles(guildId);
      }
      const baseline = await latencies(() => bare.get(Routes.guildRoles(guildId)), CALLS);
      const measured = await latencies(() => ours.getGuildRoles(guildId), CALLS);
      const result = (_label: string, p: number): BenchResult => ({
        name: `GET /guilds/{id}/roles p${p}, ${CALLS} sequential calls`,
        value: percentile(measured, p) / 1000,
        unit: "ms",
        baseline: percentile(baseline, p) / 1000,
        baselineLabel: "bare @discordjs/rest, no shared state",
        higherIsBetter: false,
      });
      return [result("p50", 50), result("p99", 99)].map((r) => ({ ...r, target: undefined }));
    } finally {
      await closeRateLimitPool();
      await sandbox.close();
      await pg.stop();
    }
  },
};

export default suite;
