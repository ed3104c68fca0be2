// graphile-worker keeps its own schema (`graphile_worker`), migrated by the library itself at start-up. addJob
// also makes sure of it once per process, so enqueueing works even where no runner has started yet.
import { runMigrations } from "graphile-worker";
import pg from "pg";
import { env } from "@/lib/env";
import { logger } from "@/lib/logger";
import { workerLogger } from "./logger";

const migrated = new Map<string, Promise<void>>();

export type EnsureJobSchemaOptions = { connectionString?: string };

export function ensureJobSchema(options: EnsureJobSchemaOptions = {}): Promise<void> {
  const connectionString = options.connectionString ?? env.DATABASE_URL;
  let done = migrated.get(connectionString);
  if (!done) {
    done = runMigrations({ connectionString, logger: workerLogger, maxPoolSize: 2 }).then(async () => {
      await dropLegacyQueues({ connectionString });
    });
    migrated.set(connectionString, done);
    done.catch(() => migrated.delete(connectionString));
  }
  return done;
}

/** Tests: forget that this process checked the job schema, as a freshly started process would. */
export function forgetJobSchemaCheck(): void {
  migrated.clear();
}

/**
 * Earlier versions ran role jobs in one named queue per guild (`discord-guild:<id>`) or organization
 * (`discord-org:<id>`). graphile-worker's fetch locks every queue row, so each queue ever created made every fetch
 * slower: their jobs move to no queue and the rows go. Idempotent; after the first run it finds nothing.
 * On a connection of its own, never the Prisma pool's: the first addJob of a process runs this while its caller's
 * transaction holds a pool connection, and a burst of such callers holding every pool connection would otherwise
 * wait for one that never frees (the pool's "timeout exceeded when trying to connect").
 */
export async function dropLegacyQueues(options: { connectionString?: string } = {}): Promise<number> {
  const client = new pg.Client({ connectionString: options.connectionString ?? env.DATABASE_URL });
  client.on("error", () => {}); // a dropped connection fails the query below instead of the process
  await client.connect();
  try {
    await client.query("BEGIN");
    await client.query(`
      UPDATE graphile_worker._private_jobs SET job_queue_id = NULL
      WHERE job_queue_id IN (SELECT id FROM graphile_worker._private_job_queues
                             WHERE queue_name LIKE 'discord-guild:%' OR queue_name LIKE 'discord-org:%')`);
    const dropped = await client.query(`
      DELETE FROM graphile_worker._private_job_queues WHERE queue_name LIKE 'discord-guild:%' OR queue_name LIKE 'discord-org:%'`);
    await client.query("COMMIT");
    const count = dropped.rowCount ?? 0;
    if (count > 0) logger.info({ dropped: count }, "dropped the per-guild job queues of an earlier version");
    return count;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    await client.end().catch(() => {});
  }
}
