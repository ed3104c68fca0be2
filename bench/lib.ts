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
