// Pieces of one SQL statement, owned by the modules whose rule they carry (the audit row, the webhook outbox, the
// review message, job enqueueing) and composed by the state machine into a transition's single statement. Raw SQL
// is kept for what Prisma lacks or a benchmarked hot path (docs/ARCHITECTURE.md, "Raw SQL"); this file only joins
// the pieces, so each rule is written once and a transition cannot leave one out.
import { Prisma } from "@/generated/prisma/client";

/** One named CTE of a composed statement. */
export type Cte = {
  /** Unique in the statement: modules prefix theirs (`webhook_`, `review_`, ...). */
  name: string;
  sql: Prisma.Sql;
  /**
   * A CTE that only SELECTs (graphile_worker.add_job calls) runs only when the statement references it, so the final
   * SELECT counts its rows. Data-modifying CTEs always run.
   */
  counted?: boolean;
};

/** `WITH <ctes> <tail>`; the CTEs in the order given (a CTE may read those before it). */
export function withCtes(ctes: readonly Cte[], tail: Prisma.Sql): Prisma.Sql {
  if (ctes.length === 0) return tail;
  const names = new Set<string>();
  for (const cte of ctes) {
    if (!/^[a-z_][a-z0-9_]*$/.test(cte.name) || names.has(cte.name)) throw new Error(`bad CTE name ${cte.name}`);
    names.add(cte.name);
  }
  const parts = ctes.map((cte) => Prisma.sql`${Prisma.raw(cte.name)} AS (${cte.sql})`);
  return Prisma.sql`WITH ${Prisma.join(parts, ",\n")}\n${tail}`;
}

/** `SELECT (SELECT count(*) FROM <name>)::int AS <name>, ...` over `first` and every counted CTE. */
export function countsOf(ctes: readonly Cte[], first: string): Prisma.Sql {
  const counted = [first, ...ctes.filter((c) => c.counted && c.name !== first).map((c) => c.name)];
  return Prisma.sql`SELECT ${Prisma.join(
    counted.map((name) => Prisma.raw(`(SELECT count(*) FROM ${name})::int AS ${name}`)),
    ", ",
  )}`;
}

/**
 * What a transition's side effects are built from. `moved` names the CTE holding the moved application
 * (`id` uuid, `"organizationId"` uuid): one row when the transition applied, none when it lost its race, so a side
 * effect selected from it is written exactly when the change is.
 */
export type MovedApplication = {
  moved: Prisma.Sql;
  applicationId: string;
  organizationId: string;
  from: string;
  to: string;
  /** The failure the transition records (role.failed carries it to webhook receivers). */
  roleError: { code: string; message: string } | null;
  /** ISO time of the change, as the events announce it. */
  at: string;
};

/** A module's part of every transition: the CTEs it adds (none when the transition owes it nothing). */
export type TransitionEffect = (transition: MovedApplication) => readonly Cte[];
