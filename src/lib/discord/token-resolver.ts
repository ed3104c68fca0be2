// Length (past ~300 lines): the cache, single-flight, invalidation listener and stale-if-error are one mechanism.
// Which bot token to use for a guild: guild -> organization -> the organization's DISCORD_BOT secret, decrypted;
// the platform bot (DISCORD_TOKEN) only for an organization without a bot of its own. Every other case is a typed
// error, never a silent fallback. Results live in a bounded LRU (5 min; unknown guilds 30 s); concurrent misses for
// one guild share one query and one decrypt; changes evict across instances through LISTEN/NOTIFY; while the
// database is unreachable an entry expired less than 15 minutes ago is still served.
import { LRUCache } from "lru-cache";
import { decrypt as vaultDecrypt, type VaultContext } from "@/lib/crypto/vault";
import { db as defaultDb, type Db, queryRows, type Tx } from "@/lib/db";
import { Prisma } from "@/generated/prisma/client";
import { isSnowflake } from "@/lib/discord/ids";
import { env } from "@/lib/env";
import { logger } from "@/lib/logger";
import { onUnauthorizedToken } from "./client";
import { type InvalidationListener, startInvalidationListener, TOKEN_INVALIDATION_CHANNEL } from "./token-invalidation";
import { metrics } from "@/lib/metrics";

export type BotTokenSource = "tenant" | "platform";
export type ResolvedBotToken = { token: string; source: BotTokenSource; organizationId: string };

/** What a tenant token was read from: a 401 may mark only that very ciphertext INVALID, never a newer one. */
type IssuedToken = { organizationId: string; secretId: string; ciphertext: string };

// The resolution errors live with the Discord error guards (./errors.ts): callers classify them by `code` through
// isTokenResolutionError / tokenResolutionCode, which hold when this module is loaded twice.
import {
  BotTokenInvalid,
  GuildNotConnected,
  OrganizationSuspended,
  type TokenResolutionError,
  TokenResolutionUnavailable,
} from "./errors";
export {
  BotTokenInvalid,
  GuildNotConnected,
  isTokenResolutionError,
  OrganizationSuspended,
  TokenResolutionError,
  tokenResolutionCode,
  TokenResolutionUnavailable,
} from "./errors";
export type { TokenResolutionCode } from "./errors";

/** The one row a resolution reads (one SQL query). */
export type GuildTokenRow = {
  organizationId: string;
  status: string;
  botApplicationId: string | null;
  state: string;
  secretId: string | null;
  ciphertext: string | null;
  validity: string | null;
};

export type TokenResolverOptions = {
  db?: Db;
  /** The platform bot token; default env.DISCORD_TOKEN. */
  platformToken?: () => string | undefined;
  max?: number;
  ttlMs?: number;
  negativeTtlMs?: number;
  /** How long past expiry an entry may be served while the database is unreachable. */
  staleIfErrorMs?: number;
  /** After a database failure, misses fail fast (no new query) for this long. */
  failFastMs?: number;
  /** Test seams: count queries and decrypts. */
  loadRow?: (db: Db, guildId: string) => Promise<GuildTokenRow | null>;
  decrypt?: (ciphertext: string, context: VaultContext) => string;
  now?: () => number;
  log?: Pick<typeof logger, "warn" | "error">;
};

type Entry = (
  | { ok: true; value: ResolvedBotToken; expiresAt: number }
  | { ok: false; error: TokenResolutionError; expiresAt: number }
) & {
  /** The settled promise every hit returns: a warm call allocates nothing. */
  settled?: Promise<ResolvedBotToken>;
};

function settle(entry: Entry): Promise<ResolvedBotToken> {
  if (entry.ok) return Promise.resolve(entry.value);
  const rejected = Promise.reject(entry.error);
  rejected.catch(() => {}); // handled by whoever awaits it; never an unhandled rejection while cached
  return rejected;
}

/**
 * The guild's token row. Every guild's first role job reads it, so on the process's own client it runs prepared on
 * the pool (queryRows) rather than through Prisma's query engine; a client passed in (tests) runs it itself.
 */
export async function loadGuildTokenRow(db: Db, guildId: string): Promise<GuildTokenRow | null> {
  const query = Prisma.sql`
    SELECT o."id"::text AS "organizationId", o."status"::text AS "status", o."botApplicationId",
           c."state"::text AS "state", s."id"::text AS "secretId", s."ciphertext", s."validity"::text AS "validity"
    FROM "DiscordConnection" c
    JOIN "Organization" o ON o."id" = c."organizationId"
    LEFT JOIN "VaultSecret" s ON s."organizationId" = o."id" AND s."provider" = 'DISCORD_BOT'
      AND s."tokenType" = 'BOT_TOKEN' AND s."identifier" = ''
    WHERE c."guildId" = ${guildId}`;
  const rows = db === defaultDb ? await queryRows<GuildTokenRow>(query) : await db.$queryRaw<GuildTokenRow[]>(query);
  return rows[0] ?? null;
}

export class TokenResolver {
  private readonly cache: LRUCache<string, Entry>;
  /** Tenant tokens this process handed out -> their row, so a 401 finds its secret even after the entry expired. */
  private readonly issued: LRUCache<string, IssuedToken>;
  private readonly inflight = new Map<string, Promise<Entry>>();
  private readonly staleLogged = new Set<string>();
  private failFastUntil = 0;
  /** Bumped by every eviction: a load that started before one must not cache its (possibly old) result. */
  private generation = 0;
  private listener: InvalidationListener | undefined;
  private readonly o: Required<Omit<TokenResolverOptions, "db">> & { db: () => Db };

  constructor(options: TokenResolverOptions = {}) {
    this.o = {
      db: () => options.db ?? defaultDb,
      platformToken: options.platformToken ?? (() => env.DISCORD_TOKEN),
      max: options.max ?? 10_000,
      ttlMs: options.ttlMs ?? 5 * 60_000,
      negativeTtlMs: options.negativeTtlMs ?? 30_000,
      staleIfErrorMs: options.staleIfErrorMs ?? 15 * 60_000,
      failFastMs: options.failFastMs ?? 2_000,
      loadRow: options.loadRow ?? loadGuildTokenRow,
      decrypt: options.decrypt ?? vaultDecrypt,
      now: options.now ?? Date.now,
      log: options.log ?? logger,
    };
    this.cache = new LRUCache({ max: this.o.max });
    this.issued = new LRUCache({ max: this.o.max });
  }

  /** The bot token for `guildId`, or a typed TokenResolutionError. */
  getGuildBotToken(guildId: string): Promise<ResolvedBotToken> {
    const entry = this.cache.get(guildId);
    if (entry !== undefined && entry.expiresAt > this.o.now() && this.trusted()) {
      metrics.tokenCache("hit");
      return (entry.settled ??= settle(entry));
    }
    metrics.tokenCache("miss");
    return this.refresh(guildId, entry).then((resolved) => (resolved.settled ??= settle(resolved)));
  }

  /**
   * Whether cached entries can be served: always without a listener (a single instance), and while it is connected.
   * While it is not, an invalidation may have been missed, so every call reads the database (single-flight per
   * guild; an unreachable database still gets stale-if-error).
   */
  private trusted(): boolean {
    return this.listener === undefined || this.listener.connected;
  }

  private refresh(guildId: string, previous: Entry | undefined): Promise<Entry> {
    const running = this.inflight.get(guildId);
    if (running) return running;
    const promise = this.load(guildId, previous).finally(() => {
      if (this.inflight.get(guildId) === promise) this.inflight.delete(guildId);
    });
    this.inflight.set(guildId, promise);
    return promise;
  }

  private async load(guildId: string, previous: Entry | undefined): Promise<Entry> {
    const now = this.o.now();
    if (!isSnowflake(guildId))
      return this.store(guildId, {
        ok: false,
        error: new GuildNotConnected("not a guild id", guildId),
        expiresAt: now + this.o.negativeTtlMs,
      });
    const generation = this.generation;
    const stale = previous?.ok && now - previous.expiresAt < this.o.staleIfErrorMs ? previous : undefined;
    if (now < this.failFastUntil) return this.degraded(guildId, stale);
    let row: GuildTokenRow | null;
    try {
      row = await this.o.loadRow(this.o.db(), guildId);
    } catch {
      this.failFastUntil = this.o.now() + this.o.failFastMs;
      return this.degraded(guildId, stale);
    }
    this.staleLogged.delete(guildId);
    const entry = this.resolveRow(guildId, row, this.o.now());
    return generation === this.generation ? this.store(guildId, entry) : entry;
  }

  private degraded(guildId: string, stale: Entry | undefined): Entry {
    if (stale?.ok) {
      metrics.tokenCache("stale");
      if (!this.staleLogged.has(guildId)) {
        this.staleLogged.add(guildId);
        this.o.log.warn(
          { guildId, source: stale.value.source },
          "database unreachable: serving an expired bot token (stale-if-error)",
        );
      }
      return stale;
    }
    return { ok: false, error: new TokenResolutionUnavailable("token store unreachable", guildId), expiresAt: 0 };
  }

  private resolveRow(guildId: string, row: GuildTokenRow | null, now: number): Entry {
    const negative = (error: TokenResolutionError): Entry => ({
      ok: false,
      error,
      expiresAt: now + this.o.negativeTtlMs,
    });
    if (!row || row.state === "DISCONNECTED") return negative(new GuildNotConnected("guild is not connected", guildId));
    if (row.status === "SUSPENDED") return negative(new OrganizationSuspended("organization is suspended", guildId));
    const positive = (value: ResolvedBotToken): Entry => ({ ok: true, value, expiresAt: now + this.o.ttlMs });
    if (row.secretId && row.ciphertext) {
      if (row.validity === "INVALID") return negative(new BotTokenInvalid("bot token is marked invalid", guildId));
      let token: string;
      try {
        token = this.o.decrypt(row.ciphertext, {
          organizationId: row.organizationId,
          provider: "DISCORD_BOT",
          tokenType: "BOT_TOKEN",
          identifier: "",
        });
      } catch {
        return negative(new BotTokenInvalid("bot token cannot be decrypted", guildId));
      }
      this.issued.set(token, {
        organizationId: row.organizationId,
        secretId: row.secretId,
        ciphertext: row.ciphertext,
      });
      return positive({ token, source: "tenant", organizationId: row.organizationId });
    }
    // An organization that registered its own bot never falls back to the platform bot.
    if (row.botApplicationId) return negative(new BotTokenInvalid("the organization's bot token is missing", guildId));
    const platform = this.o.platformToken();
    if (!platform) return negative(new TokenResolutionUnavailable("no platform bot token configured", guildId));
    return positive({ token: platform, source: "platform", organizationId: row.organizationId });
  }

  private store(guildId: string, entry: Entry): Entry {
    this.cache.set(guildId, entry);
    return entry;
  }

  /** Evicts one guild in this process only (see invalidateTokenCache for every instance). */
  evictGuild(guildId: string): void {
    this.generation++;
    this.cache.delete(guildId);
    this.inflight.delete(guildId);
  }

  /** Evicts every guild of an organization in this process only. */
  evictOrganization(organizationId: string): void {
    // Negative entries carry no organization: drop them too, they are cheap to rebuild. Keys are collected
    // first: deleting while iterating the LRU could skip entries.
    const doomed = [...this.cache.entries()]
      .filter(([, e]) => !e.ok || e.value.organizationId === organizationId)
      .map(([k]) => k);
    for (const guildId of doomed) this.evictGuild(guildId);
    this.generation++;
    this.inflight.clear();
  }

  evictAll(): void {
    this.generation++;
    this.cache.clear();
    this.inflight.clear();
  }

  /**
   * Discord rejected `token`: mark the tenant's secret INVALID and evict it everywhere, but only if the row still
   * holds the ciphertext the token was read from. A 401 for an old token (a call in flight during a rotation, or an
   * instance that had not heard of it yet) leaves the newly stored token alone.
   */
  async handleUnauthorized(token: string): Promise<void> {
    const tenant = this.issued.get(token);
    if (tenant) {
      // Evict here first: even if the database cannot be told now, this instance stops handing the token out.
      this.evictOrganization(tenant.organizationId);
      this.issued.delete(token);
      const { count } = await this.o.db().vaultSecret.updateMany({
        where: { id: tenant.secretId, organizationId: tenant.organizationId, ciphertext: tenant.ciphertext },
        data: { validity: "INVALID", lastError: "Discord answered 401 Unauthorized" },
      });
      if (count === 1) await this.invalidateOrganization(tenant.organizationId);
    } else if (token === this.o.platformToken()) {
      this.o.log.error("Discord rejected the platform bot token (DISCORD_TOKEN); no process sends it again");
    }
  }

  /** Evicts here and NOTIFYs every instance. Pass the transaction that changed the token so the NOTIFY goes with its commit. */
  async invalidateGuild(guildId: string, db: Db | Tx = this.o.db()): Promise<void> {
    this.evictGuild(guildId);
    await notify(db, { guildId });
  }

  async invalidateOrganization(organizationId: string, db: Db | Tx = this.o.db()): Promise<void> {
    this.evictOrganization(organizationId);
    await notify(db, { organizationId });
  }

  /** LISTENs on a dedicated connection and evicts on every notification (idempotent). */
  async listen(connectionString = env.DATABASE_URL): Promise<void> {
    if (this.listener) return;
    this.listener = startInvalidationListener({
      connectionString,
      onMessage: (message) => {
        if (message.guildId) this.evictGuild(message.guildId);
        if (message.organizationId) this.evictOrganization(message.organizationId);
      },
      // Notifications may have been missed while disconnected; and a failing-fast resolver learns the database is back.
      onReconnect: () => {
        this.failFastUntil = 0;
        this.evictAll();
      },
    });
    await this.listener.ready;
  }

  async close(): Promise<void> {
    await this.listener?.stop();
    this.listener = undefined;
  }

  get size(): number {
    return this.cache.size;
  }
}

async function notify(db: Db | Tx, message: { guildId?: string; organizationId?: string }): Promise<void> {
  await db.$executeRaw`SELECT pg_notify(${TOKEN_INVALIDATION_CHANNEL}, ${JSON.stringify(message)})`;
}

// The process-wide resolver. It starts listening on first use and watches 401s from the REST facade.
const globalForResolver = globalThis as unknown as { guildgateTokenResolver?: TokenResolver };

export function defaultTokenResolver(): TokenResolver {
  if (!globalForResolver.guildgateTokenResolver) {
    const resolver = new TokenResolver();
    globalForResolver.guildgateTokenResolver = resolver;
    onUnauthorizedToken(({ token, kind }) => (kind === "Bot" ? resolver.handleUnauthorized(token) : undefined));
    resolver.listen().catch((error: unknown) => {
      logger.warn(
        { err: error instanceof Error ? error.name : "error" },
        "token invalidation listener could not start; retrying",
      );
    });
  }
  return globalForResolver.guildgateTokenResolver;
}

export function getGuildBotToken(guildId: string): Promise<ResolvedBotToken> {
  return defaultTokenResolver().getGuildBotToken(guildId);
}

/** Call after storing, replacing or deleting a guild's bot token (with the transaction that did it, if any). */
export function invalidateTokenCache(guildId: string, db?: Db | Tx): Promise<void> {
  return defaultTokenResolver().invalidateGuild(guildId, db);
}

/** Call after changing an organization's bot token or status (suspension), with its transaction if any. */
export function invalidateOrganizationTokens(organizationId: string, db?: Db | Tx): Promise<void> {
  return defaultTokenResolver().invalidateOrganization(organizationId, db);
}
