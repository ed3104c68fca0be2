// One tenant's slow webhook receivers cannot delay another tenant's roles (issue 24 item 3). The production runners
// (start-worker.ts: WORKER_RUNNERS under superviseRunners, production settings) assign 200 approvals of organizations
// without webhooks, first with no webhook traffic, then while 50 endpoints of other organizations hang every request
// (200 deliveries due before the approvals, each held until the 10 s timeout): the second run keeps the pace of the
// first. With one shared pool of 5 slots the deliveries took every slot for 10 s at a time.
import { afterEach, beforeEach, expect, it } from "vitest";
import { updateApplicationStatus } from "@/lib/applications/decisions/review";
import { db } from "@/lib/db";
import { resetDiscordClients } from "@/lib/discord/client";
import { env } from "@/lib/env";
import { WORKER_RUNNERS } from "@/worker/start-worker";
import { superviseRunners, type SupervisedRunner } from "@/lib/jobs/supervise";
import { createEndpoint } from "@/lib/webhooks/endpoints";
import { recordWebhookEvent } from "@/lib/webhooks/outbox";
import { useDiscordFake, WORLD_IDS } from "~tests/fakes/discord";
import { createApplication, createOrgWithGuild, createReviewer, newSnowflake } from "~tests/helpers/applications";
import { letLocalReceiversThrough, startReceiver, type Receiver } from "~tests/helpers/webhook-receiver";

const discord = useDiscordFake();

let supervised: SupervisedRunner | undefined;
let receiver: Receiver | undefined;
beforeEach(() => {
  resetDiscordClients();
  letLocalReceiversThrough();
});
afterEach(async () => {
  // Closing the receiver ends the hanging requests, so the runners stop without waiting out the 10 s timeout.
  await receiver?.close();
  await supervised?.stop();
  receiver = undefined;
  supervised = undefined;
});

/** `guilds` organizations, each with its own guild in the fake and `perGuild` pending applications of members. */
async function approvalsToRun(guilds: number, perGuild: number): Promise<string[]> {
  const reviewer = await createReviewer();
  const ids: string[] = [];
  for (let g = 0; g < guilds; g++) {
    const guild = discord.model.addGuild({ name: `Guild ${g}`, ownerId: WORLD_IDS.admin });
    const approvedRoleId = discord.model.addRole(guild.id, { name: "Approved", position: 1 }).id;
    discord.model.addBotToGuild(guild.id, env.DISCORD_CLIENT_ID!);
    const { organization } = await createOrgWithGuild({ guildId: guild.id, approvedRoleId });
    // Roles only: decision DMs are jobs of the same runner in both runs alike.
    await db.applicantSettings.create({ data: { organizationId: organization.id, dmOnApprove: false } });
    for (let i = 0; i < perGuild; i++) {
      const user = discord.model.addUser({ id: newSnowflake(), username: `applicant_${g}_${i}` });
      discord.model.addMember(guild.id, user.id);
      const app = await createApplication({ organizationId: organization.id, applicantDiscordId: user.id });
      await updateApplicationStatus({
        applicationId: app.id,
        organizationId: organization.id,
        status: "APPROVED",
        reviewerId: reviewer.id,
      });
      ids.push(app.id);
    }
  }
  return ids;
}

/** Starts the production runners; how long until every application has its role (null: not within `limitMs`). */
async function assignAll(ids: string[], limitMs: number): Promise<{ ms: number | null; assigned: number }> {
  const started = Date.now();
  supervised = superviseRunners(WORKER_RUNNERS.map((start) => () => start()));
  let assigned = 0;
  while (Date.now() - started < limitMs) {
    assigned = await db.application.count({ where: { id: { in: ids }, status: "APPROVED_ROLE_ASSIGNED" } });
    if (assigned === ids.length) break;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return { ms: assigned === ids.length ? Date.now() - started : null, assigned };
}

async function stopRunners(): Promise<void> {
  await supervised?.stop();
  supervised = undefined;
}

it("200 approvals are assigned at the same pace while 50 endpoints of other organizations hang", async () => {
  // Warm-up (module loading, first statements), so neither measured run pays it.
  expect((await assignAll(await approvalsToRun(2, 5), 60_000)).ms).not.toBeNull();
  await stopRunners();

  const quiet = await assignAll(await approvalsToRun(20, 10), 120_000);
  expect(quiet.ms).not.toBeNull();
  const baselineMs = quiet.ms!;
  await stopRunners();

  // 50 endpoints of 50 other organizations, each with 4 deliveries due before the approvals, every request hanging.
  receiver = await startReceiver({ respond: () => "hang" });
  for (let e = 0; e < 50; e++) {
    const { organization } = await createOrgWithGuild({ guildId: null });
    const { endpoint } = await createEndpoint({
      organizationId: organization.id,
      input: { url: `${receiver.url}?endpoint=${e}`, description: "hangs", eventTypes: ["application.approved"] },
      actor: {},
    });
    for (let d = 0; d < 4; d++)
      await db.$transaction((tx) =>
        recordWebhookEvent({
          tx,
          organizationId: organization.id,
          type: "webhook.test",
          data: { n: d },
          endpointId: endpoint.id,
        }),
      );
  }
  const ids = await approvalsToRun(20, 10);
  const boundMs = Math.max(1.5 * baselineMs, baselineMs + 1_000);
  const busy = await assignAll(ids, boundMs + 1_000);

  // The deliveries did run meanwhile (their own runner's slots filled with hanging requests).
  expect(receiver.received.length).toBeGreaterThanOrEqual(5);
  expect(busy, `no webhooks: ${baselineMs} ms`).toMatchObject({ assigned: ids.length });
  expect(busy.ms!, `no webhooks: ${baselineMs} ms`).toBeLessThanOrEqual(boundMs);
}, 300_000);
