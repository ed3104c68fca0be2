// Readiness: may this process take traffic? The database answers, every migration shipped with this build is
// applied, and a job runner is getting jobs somewhere (runners heartbeat only while they fetch: fetch-health.ts).
// The queue backlog is reported but does not fail readiness: taking web replicas out of rotation would not drain a
// queue. Anyone may ask, so the check costs the same whatever the data's size (bounded probes), concurrent callers
// share one check, and the details are for holders of the metrics token only.
import fs from "node:fs";
import path from "node:path";
import { db } from "@/lib/db";
import { readQueueHead, readRunnerHeartbeat } from "@/lib/jobs/queue-stats";
import { hasMetricsAccess } from "@/lib/health/metrics-scrape";
import { checkDatabase } from "./check-database";

/** Runners beat every 5 s while they fetch; three missed beats mean none is getting jobs. */
export const DEFAULT_RUNNER_STALE_AFTER_MS = 15_000;

export type ReadinessOptions = {
  /** The migrations shipped with this build (the standalone artifact carries them beside server.js). */
  migrationsDir?: string;
  /** A runner that has not heartbeat for this long is presumed dead or not fetching (DEFAULT_RUNNER_STALE_AFTER_MS). */
  runnerStaleAfterMs?: number;
  now?: () => Date;
};

export type Readiness = {
  ready: boolean;
  database: "ok" | "down";
  migrations: { status: "ok" | "pending" | "unknown"; shipped: number; applied: number; pending: string[] };
  jobRunner: { status: "ok" | "stale" | "absent"; lastSeenAt: string | null };
  queue: { ready: number; readyCapped: boolean; oldestReadySeconds: number } | null;
};

const shippedByDir = new Map<string, string[]>();

/** The migration folders shipped with the build; read once per directory (a build's migrations do not change). */
export function shippedMigrations(dir: string): string[] {
  const known = shippedByDir.get(dir);
  if (known) return known;
  if (!fs.existsSync(dir)) return [];
  const names = fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && fs.existsSync(path.join(dir, entry.name, "migration.sql")))
    .map((entry) => entry.name)
    .sort();
  if (names.length > 0) shippedByDir.set(dir, names);
  return names;
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
  const staleAfterMs = options.runnerStaleAfterMs ?? DEFAULT_RUNNER_STALE_AFTER_MS;
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
      readQueueHead(),
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
      queue: {
        ready: queue.ready,
        readyCapped: queue.readyCapped,
        oldestReadySeconds: Math.round(queue.oldestReadySeconds),
      },
    };
  } catch {
    // The database went away between the probe and the queries.
    return notReadyYet;
  }
}

let inFlight: Promise<Readiness> | undefined;

/** checkReadiness() with the production defaults, shared by the callers that arrive while one is running. */
export function sharedReadiness(): Promise<Readiness> {
  inFlight ??= checkReadiness().finally(() => {
    inFlight = undefined;
  });
  return inFlight;
}

export type ReadinessReportOptions = { authorization: string | null };
export type ReadinessReport = {
  ready: boolean;
  body: { status: "ready" | "not_ready" } & Partial<Omit<Readiness, "ready">>;
};

/** What /api/ready answers: the state for anyone, the checks behind it only with the metrics token. */
export async function readinessReport(options: ReadinessReportOptions): Promise<ReadinessReport> {
  const { ready, ...checks } = await sharedReadiness();
  const status = ready ? "ready" : "not_ready";
  return { ready, body: hasMetricsAccess(options) ? { status, ...checks } : { status } };
}
