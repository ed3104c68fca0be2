// The bot-connect callback, in this order (each failure is a stable code the settings page explains):
//   invalid_state -> unauthorized -> forbidden -> cancelled -> connection_in_progress / already_connected ->
//   discord_error -> no_guild -> guild_taken -> role_creation_failed -> save_failed -> success.
// Nothing is written and Discord is not called before the caller is known to hold `bot:manage` in the state's
// organization. From the lock on, every failure releases it as ERROR with the code, so a retry can start at once.
// An unexpected error (database down, a bug) is `internal_error`: never thrown, so the browser always gets a redirect.
// Errors are logged through safeErrorFields (name, code, stack frames): messages can quote query values or Discord's answer.
import { Prisma } from "@/generated/prisma/client";
import { recordAudit } from "@/lib/audit/record-audit";
import { storeToken } from "@/lib/crypto/token-vault";
import { db as defaultDb, type Db } from "@/lib/db";
import { createDiscordClient, exchangeCode } from "@/lib/discord/client";
import { DiscordConnectionLock } from "@/lib/discord/connection-lock";
import { isSnowflake } from "@/lib/discord/ids";
import { invalidateTokenCache } from "@/lib/discord/token-resolver";
import { env } from "@/lib/env";
import { logger, safeErrorFields } from "@/lib/logger";
import { can } from "@/lib/security/authorize";
import { StateTokenError, verifyStateToken } from "@/lib/security/state-token";
import { findOrCreateApprovedRole } from "./approved-role";
import { botCredentialsOf } from "@/lib/discord/bot-credentials";
import { botRedirectUri } from "./start-connect";
import { sanitizeExternalText } from "@/lib/http/input";
import { notifyApiTokensChanged } from "@/lib/security/api-token-cache";

export type BotConnectError =
  | "invalid_state"
  | "unauthorized"
  | "forbidden"
  | "cancelled"
  | "connection_in_progress"
  | "already_connected"
  | "discord_error"
  | "no_guild"
  | "guild_taken"
  | "role_creation_failed"
  | "save_failed"
  | "internal_error";

export type BotConnectResult =
  | { ok: true; slug: string; guildId: string }
  /** `slug` only once the caller is authorized for the organization: earlier failures reveal nothing about it. */
  | { ok: false; error: BotConnectError; slug?: string };

export type CompleteBotConnectOptions = {
  query: URLSearchParams;
  /** The signed-in user, or null. */
  userId: string | null;
  ip?: string | null;
  db?: Db;
  /** Tests shorten these; defaults 2 minutes and 30 seconds. */
  staleAfterMs?: number;
  heartbeatMs?: number;
};

class Failure extends Error {
  constructor(readonly code: BotConnectError) {
    super(code);
  }
}

/** Runs a step; any error becomes `code` (the original is logged without its message: it may quote Discord's answer). */
async function step<T>(code: BotConnectError, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof Failure) throw error;
    logger.warn({ step: code, err: safeErrorFields(error) }, "bot connect step failed");
    throw new Failure(code);
  }
}

export async function completeBotConnect(options: CompleteBotConnectOptions): Promise<BotConnectResult> {
  let authorized: Authorized | BotConnectResult;
  try {
    authorized = await authorizeCallback(options);
  } catch (error) {
    logger.error({ err: safeErrorFields(error) }, "bot connect failed before authorization");
    return { ok: false, error: "internal_error" };
  }
  return "ok" in authorized ? authorized : connectAuthorized(options, authorized);
}

type Authorized = { organizationId: string; slug: string; userId: string };

/** The state, then the caller's `bot:manage` in the state's organization (denials audited), then cancellation. */
async function authorizeCallback(options: CompleteBotConnectOptions): Promise<Authorized | BotConnectResult> {
  const client = options.db ?? defaultDb;
  const { query, userId } = options;

  let organizationId: string;
  try {
    const state = await verifyStateToken(query.get("state") ?? "", {
      purpose: "bot-connect",
      userId: userId ?? undefined,
      db: client,
    });
    if (!state.organizationId) return { ok: false, error: "invalid_state" };
    organizationId = state.organizationId;
  } catch (error) {
    // A valid state signed for someone else: no session at all, or another admin's session.
    if (error instanceof StateTokenError && error.code === "WRONG_USER")
      return { ok: false, error: userId ? "forbidden" : "unauthorized" };
    return { ok: false, error: "invalid_state" };
  }
  if (!userId) return { ok: false, error: "unauthorized" };

  const membership = await client.membership.findUnique({
    where: { userId_organizationId: { userId, organizationId } },
    select: { role: true, organization: { select: { slug: true, status: true } } },
  });
  if (!membership || membership.organization.status !== "ACTIVE" || !can(membership.role, "bot:manage")) {
    await recordAudit({
      db: client,
      organizationId: membership ? organizationId : null,
      actor: { userId },
      action: "access.denied",
      outcome: "DENIED",
      metadata: {
        reason: membership ? "missing_permission" : "not_member",
        permission: "bot:manage",
        path: "/api/discord/bot-callback",
      },
      ip: options.ip,
    });
    return { ok: false, error: "forbidden" };
  }
  const slug = membership.organization.slug;
  if (query.get("error")) return { ok: false, error: "cancelled", slug };
  return { organizationId, slug, userId };
}

/** Under the organization's connection lock; every failure from here on returns to the organization's settings. */
async function connectAuthorized(
  options: CompleteBotConnectOptions,
  { organizationId, slug, userId }: Authorized,
): Promise<BotConnectResult> {
  const client = options.db ?? defaultDb;
  const lock = new DiscordConnectionLock(organizationId, { db: client, staleAfterMs: options.staleAfterMs });
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  try {
    const acquired = await lock.acquire();
    if (!acquired.acquired) return { ok: false, error: acquired.reason, slug };
    heartbeat = setInterval(() => {
      lock.heartbeat().catch(() => undefined);
    }, options.heartbeatMs ?? 30_000);
    const guildId = await connectUnderLock({
      client,
      organizationId,
      userId,
      lock,
      query: options.query,
      ip: options.ip ?? null,
    });
    return { ok: true, slug, guildId };
  } catch (error) {
    const code = error instanceof Failure ? error.code : "internal_error";
    if (!(error instanceof Failure)) logger.error({ err: safeErrorFields(error) }, "bot connect failed");
    // A no-op when the lock was never taken.
    await lock.release(false, code).catch(() => undefined);
    await recordAudit({
      db: client,
      organizationId,
      actor: { userId },
      action: "bot.connect",
      targetType: "organization",
      targetId: organizationId,
      outcome: "FAILED",
      metadata: { error: code },
      ip: options.ip,
    }).catch(() => undefined);
    return { ok: false, error: code, slug };
  } finally {
    clearInterval(heartbeat);
  }
}

type UnderLock = {
  client: Db;
  organizationId: string;
  userId: string;
  lock: DiscordConnectionLock;
  query: URLSearchParams;
  ip: string | null;
};

async function connectUnderLock({ client, organizationId, userId, lock, query, ip }: UnderLock): Promise<string> {
  const code = query.get("code");
  if (!code || code.length > 512) throw new Failure("discord_error");
  const credentials = await step("discord_error", () => botCredentialsOf({ organizationId, db: client }));
  const grant = await step("discord_error", () =>
    exchangeCode({
      code,
      redirectUri: botRedirectUri(),
      credentials: credentials.clientSecret
        ? { clientId: credentials.applicationId, clientSecret: credentials.clientSecret }
        : undefined,
      caller: { purpose: "tenant", organizationId, userId },
    }),
  );
  // The guild the admin picked, as Discord reports it in the token response; never the `guild_id` query hint.
  const guild = grant.guild;
  if (!guild || !isSnowflake(guild.id)) throw new Failure("no_guild");

  const taken = await client.discordConnection.findFirst({
    where: { guildId: guild.id, organizationId: { not: organizationId } },
    select: { id: true },
  });
  if (taken) throw new Failure("guild_taken");

  const bot = createDiscordClient({
    token: credentials.botToken,
    kind: "Bot",
    caller: { purpose: "tenant", organizationId, userId },
  });
  const role = await step("role_creation_failed", () =>
    findOrCreateApprovedRole({ client: bot, guildId: guild.id, name: env.DISCORD_APPROVED_ROLE_NAME }),
  );

  try {
    await client.$transaction(async (tx) => {
      const saved = await tx.discordConnection.updateMany({
        where: { organizationId, lockToken: lock.lockToken, state: "CONNECTING" },
        data: {
          guildId: guild.id,
          guildName: sanitizeExternalText(guild.name, 100),
          approvedRoleId: role.id,
          approvedRoleName: sanitizeExternalText(role.name, 100),
          botAddedAt: new Date(),
        },
      });
      // Lost the lock to a takeover (we were stale): the new holder's attempt wins.
      if (saved.count !== 1) throw new Failure("save_failed");
      const key = { organizationId, provider: "DISCORD_OAUTH" as const, db: tx };
      await storeToken({ ...key, tokenType: "ACCESS_TOKEN", value: grant.accessToken, expiresAt: grant.expiresAt });
      if (grant.refreshToken) await storeToken({ ...key, tokenType: "REFRESH_TOKEN", value: grant.refreshToken });
      await recordAudit({
        db: tx,
        organizationId,
        actor: { userId },
        action: "bot.connect",
        targetType: "guild",
        targetId: guild.id,
        outcome: "SUCCESS",
        metadata: {
          guildName: sanitizeExternalText(guild.name, 100),
          approvedRoleId: role.id,
          roleCreated: role.created,
          bot: credentials.source,
        },
        ip,
      });
      if (!(await lock.release(true, undefined, tx))) throw new Failure("save_failed");
      await invalidateTokenCache(guild.id, tx);
      await notifyApiTokensChanged(organizationId, tx);
    });
  } catch (error) {
    if (error instanceof Failure) throw error;
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002")
      throw new Failure("guild_taken");
    logger.warn({ err: safeErrorFields(error) }, "saving the bot connection failed");
    throw new Failure("save_failed");
  }
  return guild.id;
}
