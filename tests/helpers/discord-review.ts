// Fixtures for review in Discord: an organization connected to the fake's Demo Guild with a review channel, its
// owner (the world's Demo Admin), a submitted application posted in the channel, and the interactions endpoint
// called in-process through its route handlers.
import type { Runner } from "graphile-worker";
import { POST as platformEndpoint } from "@/app/api/discord/interactions/route";
import { POST as ownBotEndpoint } from "@/app/api/discord/interactions/[applicationId]/route";
import { createApplicationTasks } from "@/lib/applications/role-jobs/tasks";
import { submitApplication } from "@/lib/applications/intake/submit-application";
import { db } from "@/lib/db";
import { startJobRunner } from "@/lib/jobs/runner";
import { runSyncReviewMessage } from "@/lib/review-channel/sync-task";
import { createReviewChannelTasks } from "@/lib/review-channel/tasks";
import { PERMISSIONS, type TestDiscordFake } from "~tests/fakes/discord";
import { sendInteraction, type SendInteractionOptions } from "~tests/fakes/discord/interactions";
import { addQuestion, createOrgWithGuild } from "./applications";
import { testRoleSettings } from "./job-runner";

// A generous Discord deadline: a timeout is a failed attempt, retried after graphile-worker's backoff (seconds).
export const REVIEW_SETTINGS = { timeoutMs: 10_000, leaseMs: 5_000, leaseRecheckMs: 200 };

/** The platform URL, or an own bot's; requests go to the route handlers in this process. */
export function transportFor(applicationId: string | null) {
  return (request: Request) =>
    applicationId
      ? ownBotEndpoint(request, { params: Promise.resolve({ applicationId }) })
      : platformEndpoint(request, { params: Promise.resolve({}) });
}

export function endpointUrl(applicationId: string | null): string {
  return `http://localhost:3000/api/discord/interactions${applicationId ? `/${applicationId}` : ""}`;
}

/** Sends through the route handler of the URL the payload's application would use. */
export function send(
  discord: TestDiscordFake,
  options: Omit<SendInteractionOptions, "url" | "transport"> & { endpointApplicationId?: string | null },
) {
  const endpoint = options.endpointApplicationId ?? null;
  return sendInteraction(discord, { ...options, url: endpointUrl(endpoint), transport: transportFor(endpoint) });
}

export type ReviewWorldOptions = {
  /** Give the bot Send Messages and Embed Links (what its authorization now asks for); default true. */
  botCanPost?: boolean;
  /** Use the tenant's own bot application instead of the platform's. */
  ownBot?: boolean;
};

export async function reviewWorld(discord: TestDiscordFake, options: ReviewWorldOptions = {}) {
  const world = discord.world;
  if (options.botCanPost ?? true) world.roles.bot.permissions |= PERMISSIONS.SEND_MESSAGES | PERMISSIONS.EMBED_LINKS;
  if (options.ownBot) {
    // The tenant's bot replaces the platform's in the guild.
    discord.model.removeMember(world.guild.id, world.platform.botUserId);
    discord.model.addBotToGuild(world.guild.id, world.tenantApplication.id, {
      permissions:
        PERMISSIONS.MANAGE_ROLES | PERMISSIONS.VIEW_CHANNEL | PERMISSIONS.SEND_MESSAGES | PERMISSIONS.EMBED_LINKS,
    });
  }
  const { organization } = await createOrgWithGuild({
    guildId: world.guild.id,
    approvedRoleId: world.roles.approved.id,
  });
  await db.discordConnection.update({
    where: { organizationId: organization.id },
    data: { reviewChannelId: world.channels.general.id, reviewChannelName: "general" },
  });
  const admin = await db.user.upsert({
    where: { discordUserId: world.admin.id },
    update: {},
    create: { discordUserId: world.admin.id, name: "Demo Admin" },
  });
  await db.membership.create({ data: { userId: admin.id, organizationId: organization.id, role: "OWNER" } });
  await addQuestion({
    organizationId: organization.id,
    label: "Why do you want to join?",
    key: "why",
    maxLength: 2000,
  });
  return { organization, admin, world };
}

export async function submit(organizationId: string, applicantDiscordId: string, answer = "I run the raid nights.") {
  const { application } = await submitApplication({
    organizationId,
    applicantDiscordId,
    applicantName: "Alex Applicant",
    answers: { why: answer },
    source: "WEB",
  });
  return application;
}

/** Runs the review-message job for one application now, in this process. */
export async function syncMessage(organizationId: string, applicationId: string) {
  await runSyncReviewMessage({ organizationId, applicationId }, REVIEW_SETTINGS);
  return db.applicationReviewMessage.findUniqueOrThrow({ where: { applicationId } });
}

/** A real graphile-worker runner with the role tasks and the review-message task. */
export function startReviewRunner(): Promise<Runner> {
  return startJobRunner({
    taskList: { ...createApplicationTasks(testRoleSettings()), ...createReviewChannelTasks(REVIEW_SETTINGS) },
    concurrency: 4,
    pollInterval: 50,
  });
}

/** The text of the message's embed, fields included (what a person reads in Discord). */
export function messageText(message: { embeds: Record<string, unknown>[] }): string {
  return message.embeds
    .map((e) =>
      [
        e.title,
        e.description,
        ...((e.fields as { name: string; value: string }[] | undefined) ?? []).flatMap((f) => [f.name, f.value]),
      ]
        .filter(Boolean)
        .join("\n"),
    )
    .join("\n");
}

/** The custom_ids of the message's buttons. */
export function buttonIds(message: { components: Record<string, unknown>[] }): string[] {
  return message.components.flatMap((row) =>
    ((row.components as { custom_id?: string }[] | undefined) ?? []).flatMap((c) => (c.custom_id ? [c.custom_id] : [])),
  );
}
