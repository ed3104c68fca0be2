// Enqueue a job inside the caller's transaction: the job exists exactly when the state change that needs it
// commits. job_key makes a second add replace the waiting job instead of queueing a duplicate.
import { Prisma } from "@/generated/prisma/client";
import type { Db, Tx } from "@/lib/db";
import { ensureJobSchema } from "./migrate";

export type AddJobOptions = {
  tx: Tx | Db;
  identifier: string;
  payload: Record<string, unknown>;
  queueName?: string;
  runAt?: Date;
  maxAttempts?: number;
  jobKey?: string;
};

export async function addJob(options: AddJobOptions): Promise<{ id: string }> {
  await ensureJobSchema();
  const rows = await options.tx.$queryRaw<{ id: string }[]>(Prisma.sql`
    SELECT (graphile_worker.add_job(
      identifier := ${options.identifier}::text,
      payload := ${JSON.stringify(options.payload)}::json,
      queue_name := ${options.queueName ?? null}::text,
      run_at := ${options.runAt ?? null}::timestamptz,
      max_attempts := ${options.maxAttempts ?? null}::int,
      job_key := ${options.jobKey ?? null}::text,
      job_key_mode := 'replace'
    )).id::text AS id`);
  return rows[0]!;
}
