// Readiness: may this process take traffic? The database answers, every migration shipped with this build is
// applied, and a job runner is alive somewhere. The queue backlog is reported but does not fail readiness:
// taking web replicas out of rotation would not drain a queue.
import fs from "node:fs";
import path from "node:path";
import { db } from "@/lib/db";
import { readQueueStats, readRunnerHeartbeat } from "@/lib/jobs/queue-stats";
import { checkDatabase } from "./check-database";

export type ReadinessOptions = {
  /** The migrations shipped with this build (the standalone artifact carries them beside server.js). */
  migrationsDir?: string;
  /** A runner that has not heartbeat for this long is presumed dead (runners beat every 5 s; default 60 s). */
  runnerStaleAfterMs?: number;
  now?: () => Date;
};

export type Readiness = {
  ready: boolean;
  database: "ok" | "down";
  migrations: { status: "ok" | "pending" | "unknown"; shipped: number; applied: number; pending: string[] };
  jobRunner: { status: "ok" | "stale" | "absent"; lastSeenAt: string | null };
  queue: { ready: number; oldestReadySeconds: number } | null;
};

export function shippedMigrations(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && fs.existsSync(path.join(dir, entry.name, "migration.sql")))
    .map((entry) => entry.name)
    .sort();
}

async function appliedMigrations(): Promise<Set<string>> {
  const [table] = await db.$queryRaw<
    { present: boolean }[]
  >`SELECT to_regclass('public._prisma_migrations') IS NOT NULL AS present`;
  if (!table?.present) return new Set();
  const rows = await db.$queryRaw<{ name: string }[]>`
    SELECT migration_name AS name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`;
  return new Set(rows.map((r) => r.name));
}

export async function checkReadiness(options: ReadinessOptions = {}): Promise<Readiness> {
  const now = options.now ?? (() => new Date());
  const staleAfterMs = options.runnerStaleAfterMs ?? 60_000;
  const notReadyYet: Readiness = {
    ready: false,
    database: "down",
    migrations: { status: "unknown", shipped: 0, applied: 0, pending: [] },
    jobRunner: { status: "absent", lastSeenAt: null },
    queue: null,
  };
  if ((await checkDatabase()) === "down") return notReadyYet;
  try {
    const shipped = shippedMigrations(options.migrationsDir ?? path.join(process.cwd(), "prisma", "migrations"));
    const [applied, heartbeat, queue] = await Promise.all([
      appliedMigrations(),
      readRunnerHeartbeat(),
      readQueueStats(),
    ]);
    const pending = shipped.filter((name) => !applied.has(name));
    const lastSeen = heartbeat.lastSeenAt;
    const runner = !lastSeen ? "absent" : now().getTime() - lastSeen.getTime() > staleAfterMs ? "stale" : "ok";
    const migrations = shipped.length === 0 ? "unknown" : pending.length > 0 ? "pending" : "ok";
    return {
      ready: migrations === "ok" && runner === "ok",
      database: "ok",
      migrations: { status: migrations, shipped: shipped.length, applied: applied.size, pending },
      jobRunner: { status: runner, lastSeenAt: lastSeen?.toISOString() ?? null },
      queue: { ready: queue.ready, oldestReadySeconds: Math.round(queue.oldestReadySeconds) },
    };
  } catch {
    // The database went away between the probe and the queries.
    return notReadyYet;
  }
}
