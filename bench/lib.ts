// Shared types and timing helpers for bench suites. A suite measures ours and a baseline in the same run.
import { performance } from "node:perf_hooks";

export type BenchResult = {
  name: string;
  value: number;
  unit: string;
  /** The same workload on the baseline implementation, measured in this run. */
  baseline?: number;
  baselineLabel?: string;
  /** true when a bigger value is better (ops/s), false for latencies. */
  higherIsBetter: boolean;
  target?: string;
  met?: boolean;
};

export type BenchSuite = { name: string; run: () => Promise<BenchResult[]> };

/** Runs `fn` repeatedly for about `ms` milliseconds (after a warm-up) and returns operations per second. */
export async function opsPerSecond(fn: () => unknown | Promise<unknown>, ms = 1000): Promise<number> {
  const warmUntil = performance.now() + Math.min(200, ms / 5);
  while (performance.now() < warmUntil) await fn();
  let count = 0;
  const start = performance.now();
  const end = start + ms;
  while (performance.now() < end) {
    await fn();
    count++;
  }
  return count / ((performance.now() - start) / 1000);
}

/** Latency samples in microseconds for `n` sequential calls. */
export async function latencies(fn: () => unknown | Promise<unknown>, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    out.push((performance.now() - t) * 1000);
  }
  return out;
}

export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/** The platform application every bench that calls Discord's fake poses as. */
export const BENCH_DISCORD_APP = {
  DISCORD_CLIENT_ID: "1100000000000000001",
  DISCORD_CLIENT_SECRET: "bench-client-secret",
  DISCORD_TOKEN: "bench-platform-bot-token",
};

export type BenchEnvOptions = {
  /** Set as DATABASE_URL (replacing any value). */
  databaseUrl?: string;
  /** Further variables, used only where the environment does not set them. */
  defaults?: Record<string, string>;
};

/**
 * Bench-only values for what src/lib/env.ts requires (fresh secrets, silent logs) where the environment has none,
 * then a fresh read of the env module, so a bench runs from a bare shell.
 */
export async function benchEnv(options: BenchEnvOptions = {}): Promise<void> {
  const { randomBytes } = await import("node:crypto");
  if (options.databaseUrl) process.env.DATABASE_URL = options.databaseUrl;
  process.env.VAULT_KEYS ??= `1:${randomBytes(32).toString("base64")}`;
  process.env.STATE_SIGNING_SECRET ??= randomBytes(36).toString("base64");
  process.env.LOG_LEVEL ??= "silent";
  for (const [key, value] of Object.entries(options.defaults ?? {})) process.env[key] ??= value;
  const { resetEnvCache } = await import("../src/lib/env");
  resetEnvCache();
}

export type BenchDatabase = { url: string; stop: () => Promise<void> };

/** DATABASE_URL when set, else a throw-away embedded PostgreSQL, migrated, removed again by stop(). */
export async function benchDatabase(name: string): Promise<BenchDatabase> {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, stop: async () => {} };
  const fs = await import("node:fs");
  const os = await import("node:os");
  const path = await import("node:path");
  const { startEmbeddedPostgres } = await import("../scripts/lib/embedded-postgres");
  const { migrateDeploy } = await import("../scripts/lib/run");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `guildgate-bench-${name}-`));
  const cluster = await startEmbeddedPostgres({ dataDir: path.join(dir, "pg"), database: "bench", persistent: false });
  await migrateDeploy(cluster.url);
  return {
    url: cluster.url,
    stop: async () => {
      await cluster.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
