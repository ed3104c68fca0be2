import { expect, it } from "vitest";
import { db } from "@/lib/db";
import { seedDemoOrganization } from "@/lib/demo/seed";
import { findOrgAccess } from "@/lib/security/org-access";

it("the demo seed can make a Discord user its OWNER, idempotently", async () => {
  await seedDemoOrganization({ db, ownerDiscordUserId: "1200000000000000100" });
  const org = await seedDemoOrganization({ db, ownerDiscordUserId: "1200000000000000100" });
  const user = await db.user.findUniqueOrThrow({ where: { discordUserId: "1200000000000000100" } });
  expect(await db.membership.count()).toBe(1);
  expect(await findOrgAccess({ slug: org.slug, userId: user.id })).toMatchObject({ kind: "member", role: "OWNER" });
});
