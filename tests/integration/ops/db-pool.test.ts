// The role job's hot statements (queryRows / executeStatement, src/lib/db.ts): straight on the pool Prisma uses, as
// prepared statements named by their text, with the driver's row types.
import { expect, it } from "vitest";
import { Prisma } from "@/generated/prisma/client";
import { db, executeStatement, queryRows } from "@/lib/db";

it("runs a statement prepared on its connection, under a name derived from its text", async () => {
  const mine = () =>
    queryRows<{ name: string; statement: string }>(
      Prisma.sql`SELECT name, statement FROM pg_prepared_statements WHERE statement LIKE ${"%pg_prepared_statements%"}`,
    );
  const first = await mine();
  const again = await mine();
  // The statement sees itself prepared on the connection that runs it; the same text always has the same name.
  expect(first.map((r) => r.name)).toEqual([expect.stringMatching(/^gg_[\w-]{22}$/)]);
  expect(again[0]!.name).toBe(first[0]!.name);
});

it("returns rows as the driver parses them, and the affected row count", async () => {
  const at = new Date("2026-11-29T12:00:00.000Z");
  const [row] = await queryRows<{ at: Date; doc: { a: number }; n: number }>(
    Prisma.sql`SELECT ${at}::timestamptz AS at, ${JSON.stringify({ a: 1 })}::jsonb AS doc, ${2}::int AS n`,
  );
  expect(row).toEqual({ at, doc: { a: 1 }, n: 2 });
  const changed = await executeStatement(
    Prisma.sql`UPDATE "Organization" SET name = name WHERE id = ${"00000000-0000-4000-8000-000000000000"}::uuid`,
  );
  expect(changed).toBe(0);
  // Prisma runs on the same pool: both work side by side.
  expect(await db.$queryRaw`SELECT 1 AS one`).toEqual([{ one: 1 }]);
});
