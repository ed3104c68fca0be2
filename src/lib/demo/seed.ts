// The demo organization `npm run dev` seeds, idempotently: running it twice leaves one organization.
import type { Db } from "@/lib/db";
import { ensureDefaultForm } from "@/lib/forms/forms";

export const DEMO_SLUG = "demo";

export type SeedDemoOptions = {
  db: Db;
  /** Makes this Discord user (e.g. the sandbox's "Demo Admin") an OWNER, so signing in shows the demo. */
  ownerDiscordUserId?: string;
};

export async function seedDemoOrganization({ db, ownerDiscordUserId }: SeedDemoOptions) {
  return db.$transaction(async (tx) => {
    const organization = await tx.organization.upsert({
      where: { slug: DEMO_SLUG },
      update: {},
      create: { slug: DEMO_SLUG, name: "Demo Community" },
    });
    const questions = await tx.applicationQuestion.count({ where: { organizationId: organization.id } });
    if (questions === 0) {
      const { id: formId } = await ensureDefaultForm({ organizationId: organization.id, db: tx });
      await tx.applicationQuestion.createMany({
        data: [
          {
            organizationId: organization.id,
            formId,
            key: "found_us",
            position: 0,
            kind: "SHORT_TEXT",
            label: "How did you find us?",
            maxLength: 200,
          },
          {
            organizationId: organization.id,
            formId,
            key: "why_join",
            position: 1,
            kind: "LONG_TEXT",
            label: "Why do you want to join?",
            maxLength: 2000,
          },
          {
            organizationId: organization.id,
            formId,
            key: "timezone",
            position: 2,
            kind: "SINGLE_CHOICE",
            label: "Which timezone are you in?",
            options: ["Americas", "Europe / Africa", "Asia / Pacific"],
            required: false,
          },
        ],
      });
    }
    if (ownerDiscordUserId) {
      const owner = await tx.user.upsert({
        where: { discordUserId: ownerDiscordUserId },
        update: {},
        create: { discordUserId: ownerDiscordUserId, name: "Demo Admin" },
      });
      await tx.membership.upsert({
        where: { userId_organizationId: { userId: owner.id, organizationId: organization.id } },
        update: {},
        create: { userId: owner.id, organizationId: organization.id, role: "OWNER" },
      });
    }
    return organization;
  });
}
