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
