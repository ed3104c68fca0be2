// What one statement costs PostgreSQL: EXPLAIN (ANALYZE, BUFFERS) of exactly the SQL a lib function runs.
import { Prisma } from "@/generated/prisma/client";
import type { Db } from "@/lib/db";

type PlanNode = {
  "Node Type": string;
  "Shared Hit Blocks"?: number;
  "Shared Read Blocks"?: number;
  "Rows Removed by Filter"?: number;
  Plans?: PlanNode[];
};

export type QueryCost = { buffers: number; rowsRemovedByFilter: number; nodeTypes: string[] };

function walk(node: PlanNode, visit: (n: PlanNode) => void): void {
  visit(node);
  for (const child of node.Plans ?? []) walk(child, visit);
}

export async function explainCost(db: Db, query: Prisma.Sql): Promise<QueryCost> {
  const [row] = await db.$queryRaw<{ "QUERY PLAN": { Plan: PlanNode }[] }[]>(
    Prisma.sql`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${query}`,
  );
  const plan = row!["QUERY PLAN"][0]!.Plan;
  let removed = 0;
  const nodeTypes: string[] = [];
  walk(plan, (n) => {
    removed += n["Rows Removed by Filter"] ?? 0;
    nodeTypes.push(n["Node Type"]);
  });
  // The top node's counts include its children's.
  return {
    buffers: (plan["Shared Hit Blocks"] ?? 0) + (plan["Shared Read Blocks"] ?? 0),
    rowsRemovedByFilter: removed,
    nodeTypes,
  };
}
