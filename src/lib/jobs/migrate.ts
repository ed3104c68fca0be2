// graphile-worker keeps its own schema (`graphile_worker`), migrated by the library itself at start-up. addJob
// also makes sure of it once per process, so enqueueing works even where no runner has started yet.
import { runMigrations } from "graphile-worker";
import { env } from "@/lib/env";
import { workerLogger } from "./logger";

const migrated = new Map<string, Promise<void>>();

export type EnsureJobSchemaOptions = { connectionString?: string };

export function ensureJobSchema(options: EnsureJobSchemaOptions = {}): Promise<void> {
  const connectionString = options.connectionString ?? env.DATABASE_URL;
  let done = migrated.get(connectionString);
  if (!done) {
    done = runMigrations({ connectionString, logger: workerLogger, maxPoolSize: 2 });
    migrated.set(connectionString, done);
    done.catch(() => migrated.delete(connectionString));
  }
  return done;
}
