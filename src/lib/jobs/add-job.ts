// Enqueue a job inside the caller's transaction: the job exists exactly when the state change that needs it
// commits. job_key makes a second add replace the waiting job instead of queueing a duplicate. `addJobSql` is the
// same call as an expression for a caller's statement (the state machine's single statement, src/lib/statement.ts),
// and `jobKey` the one source of every job key, in TypeScript and in SQL alike.
import { Prisma } from "@/generated/prisma/client";
import type { Db, Tx } from "@/lib/db";
import { ensureJobSchema } from "./migrate";

/** A kind of job key: `<prefix>:<id>`, or the bare id (assign-role jobs, keyed so since the first release). */
export type JobKey = {
  of(id: string): string;
  /** The same key in SQL, from an expression of type text (for example `a.id::text`). */
  sql(id: Prisma.Sql): Prisma.Sql;
};

export function jobKey(prefix: string | null): JobKey {
  return {
    of: (id) => (prefix === null ? id : `${prefix}:${id}`),
    sql: (id) => (prefix === null ? Prisma.sql`(${id})` : Prisma.sql`(${`${prefix}:`}::text || ${id})`),
  };
}

export type AddJobSqlOptions = {
  identifier: string;
  /** An expression of type json. */
  payload: Prisma.Sql;
  /** An expression of type text (from a JobKey). */
  jobKey?: Prisma.Sql;
  queueName?: string;
  runAt?: Date;
  maxAttempts?: number;
};

/** The graphile_worker.add_job call as an expression (its value is the job row). */
export function addJobSql(options: AddJobSqlOptions): Prisma.Sql {
  return Prisma.sql`graphile_worker.add_job(
      identifier := ${options.identifier}::text,
      payload := ${options.payload},
      queue_name := ${options.queueName ?? null}::text,
      run_at := ${options.runAt ?? null}::timestamptz,
      max_attempts := ${options.maxAttempts ?? null}::int,
      job_key := ${options.jobKey ?? Prisma.sql`NULL`}::text,
      job_key_mode := 'replace'
    )`;
}

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
    SELECT (${addJobSql({
      identifier: options.identifier,
      payload: Prisma.sql`${JSON.stringify(options.payload)}::json`,
      jobKey: options.jobKey === undefined ? undefined : Prisma.sql`${options.jobKey}`,
      queueName: options.queueName,
      runAt: options.runAt,
      maxAttempts: options.maxAttempts,
    })}).id::text AS id`);
  return rows[0]!;
}
