// Which Discord application and bot an organization uses: its own (bring your own bot, secrets in the vault) or
// the platform's. Used by the connect flow before the guild is saved, when the per-guild token resolver cannot
// know the organization yet.
import { getToken } from "@/lib/crypto/token-vault";
import { db as defaultDb, type Db, type Tx } from "@/lib/db";
import type { OAuthClientCredentials } from "@/lib/discord/oauth";
import { env } from "@/lib/env";
import { errorBrand } from "@/lib/errors/brand";

export type BotCredentials = {
  source: "tenant" | "platform";
  applicationId: string;
  /** The OAuth client secret; undefined means the platform's (from the environment). */
  clientSecret?: string;
  botToken: string;
};

const CREDENTIALS_BRAND = errorBrand("bot-credentials-unavailable");

export class BotCredentialsUnavailable extends Error {
  readonly code = "bot_credentials_unavailable";
  constructor(readonly reason: "not_configured" | "missing_secret") {
    super(`bot credentials unavailable: ${reason}`);
    this.name = "BotCredentialsUnavailable";
    CREDENTIALS_BRAND.mark(this);
  }
}

/** By brand, not instanceof: the token service that catches it may hold another copy of this module. */
export function isBotCredentialsUnavailable(error: unknown): error is BotCredentialsUnavailable {
  return CREDENTIALS_BRAND.of(error) === true;
}

export type ApplicationIdOptions = { organizationId: string; db?: Db | Tx };

/** The application the bot-connect authorize URL names (no secrets read). */
export async function botApplicationIdOf(options: ApplicationIdOptions): Promise<string> {
  const client = options.db ?? defaultDb;
  const org = await client.organization.findUniqueOrThrow({
    where: { id: options.organizationId },
    select: { botApplicationId: true },
  });
  const id = org.botApplicationId ?? env.DISCORD_CLIENT_ID;
  if (!id) throw new BotCredentialsUnavailable("not_configured");
  return id;
}

export type BotCredentialsOptions = { organizationId: string; db?: Db | Tx };

export async function botCredentialsOf(options: BotCredentialsOptions): Promise<BotCredentials> {
  const client = options.db ?? defaultDb;
  const org = await client.organization.findUniqueOrThrow({
    where: { id: options.organizationId },
    select: { botApplicationId: true },
  });
  if (org.botApplicationId) {
    const key = { organizationId: options.organizationId, provider: "DISCORD_BOT" as const, db: client };
    const [botToken, clientSecret] = await Promise.all([
      getToken({ ...key, tokenType: "BOT_TOKEN" }),
      getToken({ ...key, tokenType: "CLIENT_SECRET" }),
    ]);
    if (!botToken || !clientSecret) throw new BotCredentialsUnavailable("missing_secret");
    return {
      source: "tenant",
      applicationId: org.botApplicationId,
      clientSecret: clientSecret.value,
      botToken: botToken.value,
    };
  }
  if (!env.DISCORD_CLIENT_ID || !env.DISCORD_TOKEN) throw new BotCredentialsUnavailable("not_configured");
  return { source: "platform", applicationId: env.DISCORD_CLIENT_ID, botToken: env.DISCORD_TOKEN };
}

export type OAuthCredentialsOptions = { organizationId: string; db?: Db | Tx };

/**
 * The OAuth client the organization's Discord grants belong to: its own application (no bot token read), or
 * undefined for the platform's. A registered application without its secret throws: the platform's
 * credentials would only earn an invalid_client/invalid_grant from Discord.
 */
export async function oauthClientCredentialsOf(
  options: OAuthCredentialsOptions,
): Promise<OAuthClientCredentials | undefined> {
  const client = options.db ?? defaultDb;
  const org = await client.organization.findUniqueOrThrow({
    where: { id: options.organizationId },
    select: { botApplicationId: true },
  });
  if (!org.botApplicationId) return undefined;
  const secret = await getToken({
    organizationId: options.organizationId,
    provider: "DISCORD_BOT",
    tokenType: "CLIENT_SECRET",
    db: client,
  });
  if (!secret) throw new BotCredentialsUnavailable("missing_secret");
  return { clientId: org.botApplicationId, clientSecret: secret.value };
}
