import { expect, it } from "vitest";
import { recordAudit } from "@/lib/audit/record-audit";
import { db } from "@/lib/db";

it("records an event and drops metadata keys that look like secrets", async () => {
  const org = await db.organization.create({ data: { slug: "a", name: "A" } });
  await recordAudit({
    organizationId: org.id,
    action: "bot.connect",
    outcome: "SUCCESS",
    metadata: { guildId: "1", accessToken: "tok-XYZ", nested: { clientSecret: "s-XYZ", state: "CONNECTED" } },
  });
  const [event] = await db.auditEvent.findMany();
  expect(event).toMatchObject({ organizationId: org.id, action: "bot.connect", outcome: "SUCCESS" });
  expect(event!.metadata).toEqual({ guildId: "1", nested: { state: "CONNECTED" } });
});
