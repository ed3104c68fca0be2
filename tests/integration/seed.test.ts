import { expect, it } from "vitest";
import { db } from "@/lib/db";
import { DEMO_SLUG, seedDemoOrganization } from "@/lib/demo/seed";

it("seeds the demo organization once, however often it runs", async () => {
  await seedDemoOrganization({ db });
  await seedDemoOrganization({ db });
  const orgs = await db.organization.findMany({ where: { slug: DEMO_SLUG } });
  expect(orgs).toHaveLength(1);
  expect(await db.applicationQuestion.count({ where: { organizationId: orgs[0]!.id } })).toBe(3);
});

it("npm run db:seed seeds the database in DATABASE_URL, idempotently, with the given owner", async () => {
  const { execFile } = await import("node:child_process");
  const { promisify } = await import("node:util");
  const { WORLD_IDS } = await import("~tests/fakes/discord/world");
  const run = promisify(execFile);
  const env = { ...process.env, LOG_LEVEL: "silent" };
  for (let i = 0; i < 2; i++) {
    const { stdout } = await run("npm", ["run", "--silent", "db:seed", "--", `--owner=${WORLD_IDS.admin}`], {
      env,
      timeout: 90_000,
    });
    expect(stdout).toContain(
      `demo organization "Demo Community" ready (/apply/${DEMO_SLUG}), owned by Discord user ${WORLD_IDS.admin}`,
    );
  }
  const orgs = await db.organization.findMany({ where: { slug: DEMO_SLUG } });
  expect(orgs).toHaveLength(1);
  const owners = await db.membership.findMany({
    where: { organizationId: orgs[0]!.id, role: "OWNER" },
    include: { user: true },
  });
  expect(owners.map((m) => m.user.discordUserId)).toEqual([WORLD_IDS.admin]);

  await expect(
    run("npm", ["run", "--silent", "db:seed", "--", "--owner=nope"], { env, timeout: 90_000 }),
  ).rejects.toMatchObject({ code: 2 });
}, 120_000);
