// Bring your own bot: an organization's own Discord application (id, client secret, bot token). The token is checked
// with Discord (GET /users/@me must be the bot user of that application) before anything is stored; secrets go only
// into the vault. Replacing or removing them invalidates the bot-token caches of every instance.
import { z } from "zod";
import { recordAudit } from "@/lib/audit/record-audit";
import { deleteProviderTokens, storeToken } from "@/lib/crypto/token-vault";
import { db as defaultDb, type Db, type Tx } from "@/lib/db";
import { createDiscordClient } from "@/lib/discord/client";
import { isDiscordError, isDiscordStatus, toBudgetAppError } from "@/lib/discord/errors";
import { snowflake } from "@/lib/discord/ids";
import { invalidateOrganizationTokens } from "@/lib/discord/token-resolver";
import { AppError } from "@/lib/errors/app-error";
import { reserveCredentialCheck } from "./credential-check-limit";

export const ownBotInput = z.object({
  applicationId: snowflake,
  clientSecret: z.string().trim().min(16, "must be the application's client secret").max(256),
  botToken: z
    .string()
    .trim()
    .min(30, "must be the bot's token")
    .max(256)
    .regex(/^[A-Za-z0-9._-]+$/, "must be the bot's token"),
  /**
   * The application's Public Key (General Information page): verifies the review buttons' interactions sent to
   * /api/discord/interactions/<applicationId>. Not a secret. Omitted: the stored key stays.
   */
  publicKey: z
    .string()
    .trim()
    .regex(/^[0-9a-fA-F]{64}$/, "must be the application's Public Key: 64 hex characters")
    .optional(),
});
export type OwnBotInput = z.infer<typeof ownBotInput>;

type Actor = { organizationId: string; userId: string | null; apiTokenId?: string | null; ip?: string | null; db?: Db };

async function verifyBotToken(
  input: OwnBotInput,
  caller: { organizationId: string; userId: string | null },
): Promise<void> {
  let me;
  try {
    me = await createDiscordClient({
      token: input.botToken,
      kind: "Bot",
      timeoutMs: 8_000,
      caller: { purpose: "tenant", ...caller },
    }).getCurrentUser();
  } catch (error) {
    const refusal = toBudgetAppError(error);
    if (refusal) throw refusal;
    if (isDiscordStatus(error, 401)) {
      throw new AppError(
        "invalid_bot_token",
        "Discord did not accept this bot token. Copy it again from the Bot page of your application.",
      );
    }
    if (isDiscordError(error))
      throw new AppError("discord_error", "Discord could not check the bot token. Try again in a minute.");
    throw error;
  }
  if (!me.bot || me.id !== input.applicationId) {
    throw new AppError(
      "bot_application_mismatch",
      "This token belongs to a different application. Check the application id and the bot token.",
    );
  }
}

export type SetOwnBotOptions = Actor & { input: OwnBotInput };

export async function setOwnBot(options: SetOwnBotOptions): Promise<{ applicationId: string }> {
  const client = options.db ?? defaultDb;
  const { organizationId, input } = options;
  // Early, to spare a Discord call and a check from the limit; decided again inside the transaction below.
  await requireNoOtherBotConnected(client, organizationId, input.applicationId);
  const actor = { userId: options.userId, apiTokenId: options.apiTokenId };
  await reserveCredentialCheck({
    organizationId,
    actor,
    applicationId: input.applicationId,
    ip: options.ip,
    db: client,
  });
  await verifyBotToken(input, { organizationId, userId: options.userId });
  await client.$transaction(async (tx) => {
    await requireNoOtherBotConnected(tx, organizationId, input.applicationId, { lock: true });
    const before = await tx.organization.findUniqueOrThrow({
      where: { id: organizationId },
      select: { botApplicationId: true },
    });
    // A new key replaces the stored one; another application's stored key never carries over.
    const botPublicKey = input.publicKey
      ? input.publicKey.toLowerCase()
      : before.botApplicationId === input.applicationId
        ? undefined
        : null;
    const org = await tx.organization.update({
      where: { id: organizationId },
      data: {
        botApplicationId: input.applicationId,
        botPublicKey,
      },
      select: { id: true },
    });
    const key = { organizationId: org.id, provider: "DISCORD_BOT" as const, db: tx };
    await storeToken({ ...key, tokenType: "BOT_TOKEN", value: input.botToken, validity: "VALID" });
    await storeToken({ ...key, tokenType: "CLIENT_SECRET", value: input.clientSecret });
    await recordAudit({
      db: tx,
      organizationId,
      actor,
      action: "bot.credentials_set",
      targetType: "application",
      targetId: input.applicationId,
      outcome: "SUCCESS",
      ip: options.ip,
    });
    await invalidateOrganizationTokens(organizationId, tx);
  });
  return { applicationId: input.applicationId };
}

export async function removeOwnBot(options: Actor): Promise<void> {
  const client = options.db ?? defaultDb;
  const { organizationId } = options;
  const org = await client.organization.findUniqueOrThrow({
    where: { id: organizationId },
    select: { botApplicationId: true },
  });
  if (!org.botApplicationId) throw new AppError("not_found", "This organization uses the platform bot.");
  await client.$transaction(async (tx) => {
    await requireNoOtherBotConnected(tx, organizationId, null, { lock: true });
    await tx.organization.update({
      where: { id: organizationId },
      data: { botApplicationId: null, botPublicKey: null },
    });
    await deleteProviderTokens({ organizationId, provider: "DISCORD_BOT", db: tx });
    await recordAudit({
      db: tx,
      organizationId,
      actor: { userId: options.userId, apiTokenId: options.apiTokenId },
      action: "bot.credentials_removed",
      targetType: "application",
      targetId: org.botApplicationId ?? undefined,
      outcome: "SUCCESS",
      ip: options.ip,
    });
    await invalidateOrganizationTokens(organizationId, tx);
  });
}

/**
 * Rotating the token of the application already in use is fine at any time; switching to another application (or
 * back to the platform bot) while a guild is connected would leave a bot in the guild we no longer control.
 */
async function requireNoOtherBotConnected(
  client: Db | Tx,
  organizationId: string,
  nextApplicationId: string | null,
  options: { lock?: boolean } = {},
): Promise<void> {
  if (options.lock) {
    // Inside the writing transaction: lock the organization and its connection row, so a connect that takes the
    // connection lock (an UPDATE of that row) or a concurrent credentials change waits for this decision.
    await client.$queryRaw`SELECT "id"::text FROM "Organization" WHERE "id" = ${organizationId}::uuid FOR UPDATE`;
    await client.$queryRaw`SELECT "id"::text FROM "DiscordConnection" WHERE "organizationId" = ${organizationId}::uuid FOR UPDATE`;
  }
  const org = await client.organization.findUniqueOrThrow({
    where: { id: organizationId },
    select: { botApplicationId: true, connection: { select: { state: true } } },
  });
  const state = org.connection?.state ?? "DISCONNECTED";
  const switching = org.botApplicationId !== nextApplicationId;
  if (switching && (state === "CONNECTED" || state === "CONNECTING")) {
    throw new AppError("disconnect_first", "Disconnect the bot before switching to another bot application.");
  }
}
