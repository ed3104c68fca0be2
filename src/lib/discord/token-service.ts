// Length (past ~300 lines): the two credential types share the refresh locking that is most of it.
// One entry point for an organization's Discord credentials, dispatching by type. `discord_oauth` returns the
// stored access token, refreshing it when it expires within the buffer. Concurrent refreshes collapse to one call to
// Discord: in-process through a shared promise, across instances through a transaction-scoped advisory lock whose
// losers wait briefly for the winner's result. `invalid_grant` marks both tokens INVALID.
import {
  type DecryptedToken,
  findExpiringTokens,
  getAccessToken,
  getRefreshToken,
  getToken as getVaultToken,
  storeToken,
} from "@/lib/crypto/token-vault";
import { isBotCredentialsUnavailable, oauthClientCredentialsOf } from "@/lib/discord/bot-credentials";
import { db as defaultDb, type Db, type Tx } from "@/lib/db";
import { env } from "@/lib/env";
import { logger } from "@/lib/logger";
import { isDiscordApiError } from "./errors";
import { refreshAccessToken as discordRefresh, type DiscordTokenGrant, type OAuthClientCredentials } from "./oauth";

export type TokenKind = "discord_bot" | "discord_oauth";

export type GetTokenOptions = {
  organizationId: string;
  type: TokenKind;
  /** discord_oauth: refresh even if the stored token is still fresh (still one Discord call for concurrent callers). */
  forceRefresh?: boolean;
};

export type ServiceToken = {
  token: string;
  source: "tenant" | "platform" | "oauth";
  expiresAt: Date | null;
  /** True when this call (or the one it joined) refreshed the token at Discord. */
  refreshed: boolean;
};

/** Stable codes: callers classify by `code`, never by `name` (a minifying build renames classes) or instanceof. */
export type TokenServiceErrorCode =
  "token_not_found" | "token_invalid" | "organization_suspended" | "token_refresh_failed";

export abstract class TokenServiceError extends Error {
  abstract readonly code: TokenServiceErrorCode;
  constructor(
    message: string,
    readonly organizationId: string,
  ) {
    super(message);
  }
}
/** Nothing stored for this organization and type. */
export class TokenNotFound extends TokenServiceError {
  readonly code = "token_not_found";
  override name = "TokenNotFound";
}
/** The stored token (or its refresh token) is INVALID: the organization must authorize again. */
export class TokenInvalid extends TokenServiceError {
  readonly code = "token_invalid";
  override name = "TokenInvalid";
}
/** The organization is suspended. */
export class TokenOrganizationSuspended extends TokenServiceError {
  readonly code = "organization_suspended";
  override name = "TokenOrganizationSuspended";
}
/** Discord could not refresh the token right now (5xx, timeout, rate limit); try again later. */
export class TokenRefreshFailed extends TokenServiceError {
  readonly code = "token_refresh_failed";
  override name = "TokenRefreshFailed";
}

export type TokenServiceOptions = {
  db?: Db;
  /** Refresh when the access token expires within this many minutes. */
  refreshBufferMinutes?: number;
  /** How long a caller waits for another instance's refresh before giving up. */
  waitMs?: number;
  pollMs?: number;
  /** Test seam: the Discord token call; `credentials` undefined means the platform application's. */
  refresh?: (refreshToken: string, credentials?: OAuthClientCredentials) => Promise<DiscordTokenGrant>;
};

const OAUTH = { provider: "DISCORD_OAUTH" } as const;

type Attempt =
  | { kind: "busy" }
  | { kind: "done"; token: DecryptedToken | { value: string; expiresAt: Date | null }; refreshed: boolean }
  | { kind: "invalid" }
  | { kind: "no_client_secret" }
  | { kind: "failed"; reason: string };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class TokenService {
  private readonly inflight = new Map<string, Promise<ServiceToken>>();
  private readonly o: Required<Omit<TokenServiceOptions, "db">> & { db: () => Db };

  constructor(options: TokenServiceOptions = {}) {
    this.o = {
      db: () => options.db ?? defaultDb,
      refreshBufferMinutes: options.refreshBufferMinutes ?? 5,
      waitMs: options.waitMs ?? 12_000,
      pollMs: options.pollMs ?? 50,
      refresh: options.refresh ?? ((refreshToken, credentials) => discordRefresh({ refreshToken, credentials })),
    };
  }

  async getToken(options: GetTokenOptions): Promise<ServiceToken> {
    return options.type === "discord_bot" ? this.botToken(options.organizationId) : this.oauthToken(options);
  }

  /** The organization's own bot, or the platform bot when it has none; never the platform bot on an error. */
  private async botToken(organizationId: string): Promise<ServiceToken> {
    const db = this.o.db();
    const organization = await db.organization.findUnique({
      where: { id: organizationId },
      select: { status: true, botApplicationId: true },
    });
    if (!organization) throw new TokenNotFound("unknown organization", organizationId);
    if (organization.status === "SUSPENDED")
      throw new TokenOrganizationSuspended("organization is suspended", organizationId);
    const secret = await getVaultToken({ db, organizationId, provider: "DISCORD_BOT", tokenType: "BOT_TOKEN" });
    if (secret) {
      if (secret.validity === "INVALID") throw new TokenInvalid("bot token is marked invalid", organizationId);
      return { token: secret.value, source: "tenant", expiresAt: null, refreshed: false };
    }
    if (organization.botApplicationId)
      throw new TokenInvalid("the organization's bot token is missing", organizationId);
    if (!env.DISCORD_TOKEN) throw new TokenNotFound("no platform bot token configured", organizationId);
    return { token: env.DISCORD_TOKEN, source: "platform", expiresAt: null, refreshed: false };
  }

  private oauthToken(options: GetTokenOptions): Promise<ServiceToken> {
    const key = `${options.organizationId}:${options.forceRefresh ? "force" : "normal"}`;
    const running = this.inflight.get(key);
    if (running) return running;
    const promise = this.resolveOauth(options.organizationId, options.forceRefresh ?? false).finally(() =>
      this.inflight.delete(key),
    );
    this.inflight.set(key, promise);
    return promise;
  }

  private async resolveOauth(organizationId: string, force: boolean): Promise<ServiceToken> {
    const db = this.o.db();
    const startedAt = new Date();
    const deadline = Date.now() + this.o.waitMs;
    // A refresh that finished after this call started satisfies a forced refresh too.
    const satisfied = (t: DecryptedToken, needsRefresh: boolean) =>
      !needsRefresh && (!force || (t.lastRefreshedAt !== null && t.lastRefreshedAt >= startedAt));
    for (;;) {
      const access = await getAccessToken({
        db,
        organizationId,
        ...OAUTH,
        refreshBufferMinutes: this.o.refreshBufferMinutes,
      });
      if (access && satisfied(access.token, access.needsRefresh)) {
        return { token: access.token.value, source: "oauth", expiresAt: access.token.expiresAt, refreshed: force };
      }
      const refresh = await getRefreshToken({ db, organizationId, ...OAUTH });
      if (!refresh) {
        if (access)
          return { token: access.token.value, source: "oauth", expiresAt: access.token.expiresAt, refreshed: false };
        throw new TokenNotFound("no Discord OAuth token stored", organizationId);
      }
      if (refresh.validity === "INVALID")
        throw new TokenInvalid("Discord OAuth grant is invalid; authorize again", organizationId);

      const attempt = await this.tryRefresh(organizationId, refresh, satisfied);
      if (attempt.kind === "done") {
        return {
          token: attempt.token.value,
          source: "oauth",
          expiresAt: attempt.token.expiresAt,
          refreshed: attempt.refreshed,
        };
      }
      if (attempt.kind === "invalid")
        throw new TokenInvalid("Discord rejected the refresh token (invalid_grant)", organizationId);
      if (attempt.kind === "no_client_secret")
        throw new TokenInvalid("the organization's own application has no client secret stored", organizationId);
      if (attempt.kind === "failed")
        throw new TokenRefreshFailed(`Discord token refresh failed: ${attempt.reason}`, organizationId);
      // Another instance holds the lock: wait for its result.
      if (Date.now() >= deadline)
        throw new TokenRefreshFailed("timed out waiting for a concurrent refresh", organizationId);
      await sleep(this.o.pollMs);
    }
  }

  /** Under the organization's advisory lock: re-check, then refresh at Discord and store both tokens. */
  private async tryRefresh(
    organizationId: string,
    refresh: DecryptedToken,
    satisfied: (t: DecryptedToken, needsRefresh: boolean) => boolean,
  ): Promise<Attempt> {
    return this.o.db().$transaction(
      async (tx): Promise<Attempt> => {
        const rows = await tx.$queryRaw<{ locked: boolean }[]>`
          SELECT pg_try_advisory_xact_lock(hashtextextended(${`guildgate:oauth-refresh:${organizationId}`}, 0)) AS "locked"`;
        if (!rows[0]?.locked) return { kind: "busy" };
        const access = await getAccessToken({
          db: tx,
          organizationId,
          ...OAUTH,
          refreshBufferMinutes: this.o.refreshBufferMinutes,
        });
        if (access && satisfied(access.token, access.needsRefresh))
          return { kind: "done", token: access.token, refreshed: true };
        const current = (await getRefreshToken({ db: tx, organizationId, ...OAUTH })) ?? refresh;
        if (current.validity === "INVALID") return { kind: "invalid" };
        // The grant belongs to the application that issued it: the organization's own (bring your own bot) or ours.
        let credentials: OAuthClientCredentials | undefined;
        try {
          credentials = await oauthClientCredentialsOf({ organizationId, db: tx });
        } catch (error) {
          if (isBotCredentialsUnavailable(error)) return { kind: "no_client_secret" };
          throw error;
        }
        let grant: DiscordTokenGrant;
        try {
          grant = await this.o.refresh(current.value, credentials);
        } catch (error) {
          if (isDiscordApiError(error) && error.isInvalidGrant) {
            await invalidateGrant(tx, organizationId);
            return { kind: "invalid" };
          }
          const reason = error instanceof Error ? error.name : "error";
          logger.warn({ organizationId, reason }, "Discord OAuth refresh failed");
          return { kind: "failed", reason };
        }
        await storeToken({
          db: tx,
          organizationId,
          ...OAUTH,
          tokenType: "ACCESS_TOKEN",
          value: grant.accessToken,
          expiresAt: grant.expiresAt,
        });
        if (grant.refreshToken)
          await storeToken({ db: tx, organizationId, ...OAUTH, tokenType: "REFRESH_TOKEN", value: grant.refreshToken });
        return { kind: "done", token: { value: grant.accessToken, expiresAt: grant.expiresAt }, refreshed: true };
      },
      // The Discord call runs inside the transaction that holds the lock; it times out at 10 s.
      { timeout: 20_000, maxWait: 5_000 },
    );
  }

  /** The scheduled job: refreshes OAuth tokens expiring within `withinMinutes`. */
  async refreshExpiringTokens(
    options: { withinMinutes?: number; limit?: number } = {},
  ): Promise<{ refreshed: number; failed: number }> {
    const within = options.withinMinutes ?? 30;
    const expiring = await findExpiringTokens({
      db: this.o.db(),
      withinMinutes: within,
      provider: "DISCORD_OAUTH",
      limit: options.limit,
    });
    const organizations = [...new Set(expiring.map((t) => t.organizationId))];
    let refreshed = 0;
    let failed = 0;
    const service = new TokenService({ ...this.o, db: this.o.db(), refreshBufferMinutes: within });
    for (const organizationId of organizations) {
      try {
        await service.getToken({ organizationId, type: "discord_oauth" });
        refreshed++;
      } catch (error) {
        failed++;
        logger.warn(
          { organizationId, error: error instanceof Error ? error.name : "error" },
          "scheduled OAuth refresh failed",
        );
      }
    }
    return { refreshed, failed };
  }
}

/** Both tokens of the grant become INVALID (the same update markTokenInvalid makes, for the pair at once). */
async function invalidateGrant(tx: Tx, organizationId: string): Promise<void> {
  await tx.vaultSecret.updateMany({
    where: { organizationId, provider: "DISCORD_OAUTH", tokenType: { in: ["ACCESS_TOKEN", "REFRESH_TOKEN"] } },
    data: { validity: "INVALID", lastError: "Discord answered invalid_grant to the refresh token" },
  });
}

const globalForService = globalThis as unknown as { guildgateTokenService?: TokenService };

function defaultService(): TokenService {
  globalForService.guildgateTokenService ??= new TokenService();
  return globalForService.guildgateTokenService;
}

export function getToken(options: GetTokenOptions): Promise<ServiceToken> {
  return defaultService().getToken(options);
}

/** For the job runner: refresh the OAuth tokens that `findExpiringTokens` lists. */
export function refreshExpiringTokens(options?: { withinMinutes?: number; limit?: number }) {
  return defaultService().refreshExpiringTokens(options);
}
