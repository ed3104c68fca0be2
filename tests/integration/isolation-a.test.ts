// Runs at the same time as isolation-b.test.ts in the other worker. Both write the same unique slug: with a
// shared database one insert would fail. A marker file lets each side wait until the other has written.
import fs from "node:fs";
import path from "node:path";
import { expect, inject, it } from "vitest";
import { db } from "@/lib/db";

it("writes in its own worker database while the other worker writes too", async () => {
  const { runDir } = inject("database");
  const [row] = await db.$queryRaw<{ name: string }[]>`SELECT current_database()::text AS name`;
  const name = row!.name;
  await db.organization.create({ data: { slug: "isolation", name: "side-a" } });
  fs.writeFileSync(path.join(runDir, "isolation-a"), name);

  const otherMarker = path.join(runDir, "isolation-b");
  const deadline = Date.now() + 45_000;
  while (!fs.existsSync(otherMarker) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  expect(fs.existsSync(otherMarker), "the other worker never wrote").toBe(true);

  expect(fs.readFileSync(otherMarker, "utf8")).not.toBe(name);
  const rows = await db.organization.findMany({ where: { slug: "isolation" } });
  expect(rows.map((r) => r.name)).toEqual(["side-a"]);
}, 60_000);
