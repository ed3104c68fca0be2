// Discord's interactions for the review message: verified first (Ed25519 against the public key of the application
// the URL names; nothing else happens for a request that does not verify), then PING, the buttons and the reject
// modal. The interaction must come from the guild of an organization that uses that very application (the platform
// bot, or its own bot whose key verified): a signed request of one application cannot act in another's guild.
import { type APIInteractionResponse, InteractionResponseType, InteractionType } from "discord-api-types/v10";
import { z } from "zod";
import { db } from "@/lib/db";
import { isSnowflake } from "@/lib/discord/ids";
import { env } from "@/lib/env";
import { parseReviewCustomId } from "@/lib/review-channel/custom-id";
import { decideFromDiscord, rejectModal, alreadyDecidedReply } from "./decide";
import { ephemeral } from "./responses";
import { recordDiscordDenial, resolveDiscordReviewer } from "./reviewer";
import { precheckInteraction, verifyInteraction } from "./verify";

/** Discord's 3-second window, with room for the network: past this the answer is deferred (type 6). */
export const ANSWER_WITHIN_MS = 2_000;

export type HandleInteractionOptions = {
  /** The application of a bring-your-own-bot URL (/api/discord/interactions/<id>); null: the platform application. */
  applicationId: string | null;
  rawBody: string;
  signature: string | null;
  timestamp: string | null;
  now?: Date;
  /** How long the decision may take before the answer is deferred (tests shorten it). */
  answerWithinMs?: number;
};

export type InteractionReply =
  | { kind: "unauthorized" }
  | { kind: "bad_request"; message: string }
  | {
      kind: "response";
      body: APIInteractionResponse;
      /** Work that continues after a deferred answer (the route runs it with next/server's after()). */
      continuation?: () => Promise<void>;
    };

const discordUser = z.object({
  id: z.string(),
  username: z.string().max(100),
  global_name: z.string().max(100).nullish(),
});

const interactionSchema = z.object({
  id: z.string(),
  application_id: z.string(),
  type: z.number().int(),
  token: z.string().min(1).max(1_000),
  guild_id: z.string().optional(),
  member: z.object({ user: discordUser, roles: z.array(z.string()).max(500) }).optional(),
  user: discordUser.optional(),
  data: z
    .object({ custom_id: z.string().max(100).optional(), components: z.array(z.unknown()).max(10).optional() })
    .optional(),
});

export type ParsedInteraction = z.infer<typeof interactionSchema>;

type KeyOwner = { key: string; organizationIds: string[] | "platform" };

async function publicKeysFor(applicationId: string | null): Promise<KeyOwner[]> {
  if (applicationId === null)
    return env.DISCORD_PUBLIC_KEY ? [{ key: env.DISCORD_PUBLIC_KEY, organizationIds: "platform" }] : [];
  const orgs = await db.organization.findMany({
    where: { botApplicationId: applicationId, botPublicKey: { not: null } },
    select: { id: true, botPublicKey: true },
  });
  const byKey = new Map<string, string[]>();
  for (const org of orgs) {
    const key = org.botPublicKey!.toLowerCase();
    byKey.set(key, [...(byKey.get(key) ?? []), org.id]);
  }
  return [...byKey].map(([key, organizationIds]) => ({ key, organizationIds }));
}

/** One sentence for every refusal about where a click came from, so it reveals nothing about other tenants. */
const NOT_HERE = "This button does not belong to an application of this server's Guildgate organization.";

export async function handleDiscordInteraction(options: HandleInteractionOptions): Promise<InteractionReply> {
  if (options.applicationId !== null && !isSnowflake(options.applicationId)) return { kind: "unauthorized" };
  // Anyone can post here: what needs no key is refused before the database is asked for one.
  if (!precheckInteraction(options).ok) return { kind: "unauthorized" };
  const owners = await publicKeysFor(options.applicationId);
  const verified = owners.filter(
    (owner) =>
      verifyInteraction({
        publicKeyHex: owner.key,
        signature: options.signature,
        timestamp: options.timestamp,
        rawBody: options.rawBody,
        now: options.now,
      }).ok,
  );
  if (verified.length === 0) return { kind: "unauthorized" };

  let parsed: ParsedInteraction;
  try {
    parsed = interactionSchema.parse(JSON.parse(options.rawBody));
  } catch {
    return { kind: "bad_request", message: "The body is not an interaction." };
  }
  const expectedApplication = options.applicationId ?? env.DISCORD_CLIENT_ID;
  if (parsed.application_id !== expectedApplication) return { kind: "unauthorized" };

  if (parsed.type === InteractionType.Ping) return { kind: "response", body: { type: InteractionResponseType.Pong } };
  if (parsed.type !== InteractionType.MessageComponent && parsed.type !== InteractionType.ModalSubmit) {
    return { kind: "response", body: ephemeral("Guildgate has no commands; use the buttons of a review message.") };
  }
  const allowedOrganizations = verified.flatMap((o) => (o.organizationIds === "platform" ? [] : o.organizationIds));
  return handleReviewInteraction(parsed, {
    platform: options.applicationId === null,
    applicationId: expectedApplication!,
    allowedOrganizations,
    answerWithinMs: options.answerWithinMs ?? ANSWER_WITHIN_MS,
  });
}

type Origin = { platform: boolean; applicationId: string; allowedOrganizations: string[]; answerWithinMs: number };

async function handleReviewInteraction(interaction: ParsedInteraction, origin: Origin): Promise<InteractionReply> {
  const reply = (body: APIInteractionResponse): InteractionReply => ({ kind: "response", body });
  const target = parseReviewCustomId(interaction.data?.custom_id);
  if (!interaction.guild_id || !interaction.member || !target) return reply(ephemeral(NOT_HERE));

  // The organization is the guild's, and it must use the application this request was signed for.
  const connection = await db.discordConnection.findUnique({
    where: { guildId: interaction.guild_id },
    select: {
      state: true,
      reviewerRoleIds: true,
      organization: { select: { id: true, status: true, botApplicationId: true } },
    },
  });
  const organization = connection?.organization;
  const sameApplication = origin.platform
    ? organization?.botApplicationId === null
    : organization?.botApplicationId === origin.applicationId && origin.allowedOrganizations.includes(organization.id);
  if (!connection || !organization || connection.state !== "CONNECTED" || !sameApplication) {
    return reply(ephemeral(NOT_HERE));
  }
  if (organization.status !== "ACTIVE") {
    return reply(ephemeral("This Guildgate organization is suspended; applications cannot be decided now."));
  }
  const application = await db.application.findFirst({
    where: { id: target.applicationId, organizationId: organization.id },
    select: { id: true, status: true },
  });
  if (!application) return reply(ephemeral(NOT_HERE));

  const member = interaction.member;
  const clicker = {
    discordUserId: member.user.id,
    name: member.user.global_name ?? member.user.username,
    roleIds: member.roles,
  };
  const reviewer = await resolveDiscordReviewer({
    organizationId: organization.id,
    clicker,
    reviewerRoleIds: connection.reviewerRoleIds,
  });
  if (!reviewer.allowed) {
    await recordDiscordDenial({
      organizationId: organization.id,
      userId: reviewer.userId,
      discordUserId: clicker.discordUserId,
      applicationId: application.id,
      action: target.action,
    });
    return reply(
      ephemeral(
        "You may not decide applications here: you need the Reviewer role (or higher) in this server's Guildgate organization, or one of its reviewer roles.",
      ),
    );
  }

  if (target.action === "reject") {
    // The button opens the modal; a decided application says who decided instead.
    if (application.status !== "PENDING") return reply(await alreadyDecidedReply(organization.id, application.id));
    return reply(rejectModal(application.id));
  }
  if (target.action === "reject-reason" && interaction.type !== InteractionType.ModalSubmit)
    return reply(ephemeral(NOT_HERE));
  if (target.action === "approve" && interaction.type !== InteractionType.MessageComponent)
    return reply(ephemeral(NOT_HERE));
  return decideFromDiscord({
    organizationId: organization.id,
    applicationId: application.id,
    reviewerId: reviewer.userId,
    decision: target.action === "approve" ? "APPROVED" : "REJECTED",
    modalComponents: interaction.data?.components,
    webhook: { applicationId: origin.applicationId, token: interaction.token },
    answerWithinMs: origin.answerWithinMs,
  });
}
