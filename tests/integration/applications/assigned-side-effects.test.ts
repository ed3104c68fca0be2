// The role job's assigned transition runs in the state machine's single-statement mode (mark-assigned.ts ->
// applyTransitionStatement): it still owes what every transition owes other systems, in the same statement. The
// `role.assigned` webhook event with a delivery and its job per subscribed endpoint, and the edit of the application's
// message in the review channel (the modes compared side by side: transition-modes.test.ts).
import { beforeAll, expect, it } from "vitest";
import { runAssignRole } from "@/lib/applications/role-jobs/assign-role-task";
import { db } from "@/lib/db";
import { ensureJobSchema } from "@/lib/jobs/migrate";
import { createEndpoint } from "@/lib/webhooks/endpoints";
import { useDiscordFake, WORLD_IDS } from "~tests/fakes/discord";
import { createApplication, createOrgWithGuild, listJobs } from "~tests/helpers/applications";
import { testRoleSettings } from "~tests/helpers/job-runner";

useDiscordFake();
beforeAll(async () => {
  await ensureJobSchema();
});

async function approvedApplication() {
  const { organization } = await createOrgWithGuild({
    guildId: WORLD_IDS.guild,
    approvedRoleId: WORLD_IDS.approvedRole,
  });
  const app = await createApplication({ organizationId: organization.id, applicantDiscordId: WORLD_IDS.applicant });
  await db.application.update({
    where: { id: app.id },
    data: { status: "APPROVED_PENDING_ROLE", roleAssignmentStatus: "PENDING" },
  });
  return { organization, app };
}

it("records the role.assigned event, a delivery and its job per subscribed endpoint, and edits the review message", async () => {
  const { organization, app } = await approvedApplication();
  const { endpoint } = await createEndpoint({
    organizationId: organization.id,
    input: { url: "https://hooks.example.com/in", description: "test", eventTypes: ["role.assigned"] },
    actor: {},
  });
  await createEndpoint({
    organizationId: organization.id,
    input: {
      url: "https://hooks.example.com/other",
      description: "not subscribed",
      eventTypes: ["application.rejected"],
    },
    actor: {},
  });
  await db.applicationReviewMessage.create({
    data: { applicationId: app.id, organizationId: organization.id, channelId: WORLD_IDS.generalChannel },
  });

  await runAssignRole({ applicationId: app.id, organizationId: organization.id }, testRoleSettings());

  expect((await db.application.findUniqueOrThrow({ where: { id: app.id } })).status).toBe("APPROVED_ROLE_ASSIGNED");
  const events = await db.webhookEvent.findMany({ where: { organizationId: organization.id } });
  expect(events.map((e) => e.type)).toEqual(["role.assigned"]);
  expect(events[0]!.payload).toMatchObject({
    type: "role.assigned",
    data: { applicationId: app.id, status: "APPROVED_ROLE_ASSIGNED", previousStatus: "APPROVED_PENDING_ROLE" },
  });
  const deliveries = await db.webhookDelivery.findMany({ where: { organizationId: organization.id } });
  expect(deliveries.map((d) => d.endpointId)).toEqual([endpoint.id]);
  const jobs = await listJobs();
  expect(jobs.filter((j) => j.task === "deliver-webhook").map((j) => j.key)).toEqual([`webhook:${deliveries[0]!.id}`]);
  expect(jobs.filter((j) => j.task === "sync-review-message").map((j) => j.key)).toEqual([`review-message:${app.id}`]);
});

it("writes nothing else for an organization without endpoints or a review message", async () => {
  const { organization, app } = await approvedApplication();
  const before = (await listJobs()).length;
  await runAssignRole({ applicationId: app.id, organizationId: organization.id }, testRoleSettings());
  expect((await db.application.findUniqueOrThrow({ where: { id: app.id } })).status).toBe("APPROVED_ROLE_ASSIGNED");
  expect(await db.webhookEvent.count({ where: { organizationId: organization.id } })).toBe(0);
  expect(
    (await listJobs()).filter((j) => j.task === "sync-review-message" || j.task === "deliver-webhook").length,
  ).toBe(0);
  expect((await listJobs()).length).toBeLessThanOrEqual(before);
});
