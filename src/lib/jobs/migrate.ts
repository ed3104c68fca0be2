// graphile-worker keeps its own schema (`graphile_worker`), migrated by the library itself at start-up. addJob
// also makes sure of it once per process, so enqueueing works even where no runner has started yet.
import { runMigrations } from "graphile-worker";
import { db } from "@/lib/db";
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
      if (connectionString === env.DATABASE_URL) await dropLegacyQueues();
    });
    migrated.set(connectionString, done);
    done.catch(() => migrated.delete(connectionString));
  }
  return done;
}

/**
 * Earlier versions ran role jobs in one named queue per guild (`discord-guild:<id>`) or organization
 * (`discord-org:<id>`). graphile-worker's fetch locks every queue row, so each queue ever created made every fetch
 * slower: their jobs move to no queue and the rows go. Idempotent; after the first run it finds nothing.
 */
export async function dropLegacyQueues(): Promise<number> {
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`
      UPDATE graphile_worker._private_jobs SET job_queue_id = NULL
      WHERE job_queue_id IN (SELECT id FROM graphile_worker._private_job_queues
                             WHERE queue_name LIKE 'discord-guild:%' OR queue_name LIKE 'discord-org:%')`;
    const dropped = await tx.$executeRaw`
      DELETE FROM graphile_worker._private_job_queues WHERE queue_name LIKE 'discord-guild:%' OR queue_name LIKE 'discord-org:%'`;
    if (dropped > 0) logger.info({ dropped }, "dropped the per-guild job queues of an earlier version");
    return dropped;
  });
}
