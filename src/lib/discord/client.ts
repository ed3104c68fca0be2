// Length (past ~300 lines): one small function per Discord call the product makes, around one call() core.
// The REST facade: the Discord calls the product makes, on @discordjs/rest (per-route buckets, Retry-After,
// sublimits) through global fetch. Every failure becomes a typed error without the token. What must hold across
// every process and module instance is kept in PostgreSQL (src/lib/rate-limit/): the tokens Discord answered 401
// (never sent again by anyone), the invalid-request budget and its shares (invalid-requests.ts), and Discord's
// global limit per bot token (global-limit.ts).
import { createHash } from "node:crypto";
import { REST, type RequestData, type RouteLike } from "@discordjs/rest";
import {
  type RESTGetAPIChannelMessagesQuery,
  type RESTGetAPIChannelMessagesResult,
  type RESTGetAPICurrentUserGuildsResult,
  type RESTGetAPICurrentUserResult,
  type RESTGetAPIGuildChannelsResult,
  type RESTGetAPIGuildMemberResult,
  type RESTGetAPIGuildMembersSearchResult,
  type RESTGetAPIGuildResult,
  type RESTGetAPIGuildRolesResult,
  type RESTPatchAPIChannelMessageJSONBody,
  type RESTPatchAPIChannelMessageResult,
  type RESTPostAPIChannelInviteJSONBody,
  type RESTPostAPIChannelInviteResult,
  type RESTPostAPIChannelMessageJSONBody,
  type RESTPostAPIChannelMessageResult,
  type RESTPostAPICurrentUserCreateDMChannelResult,
  type RESTPostAPIGuildRoleJSONBody,
  type RESTPostAPIGuildRoleResult,
  Routes,
} from "discord-api-types/v10";
import { LRUCache } from "lru-cache";
import { env } from "@/lib/env";
import { logger } from "@/lib/logger";
import {
  DiscordApiError,
  DiscordNetworkError,
  DiscordTimeoutError,
  isAbortOrTimeout,
  isDiscordApiError,
} from "./errors";
import { isRestApiError, isRestHttpError, isRestRateLimitError } from "./rest-errors";
import { acquireGlobalSlot, resetGlobalLimit } from "./global-limit";
import {
  assertDiscordBudget,
  chargeCaller,
  type DiscordCaller,
  isInvalidResponse,
  recordInvalidResponse,
  resetDiscordBudget,
} from "./invalid-requests";
import { DISCORD_PAYLOADS, type DiscordPayloadSchema } from "./payloads";
import { isTokenRejected, recordRejectedToken, resetRejectedTokenCache } from "./rejected-tokens";
import { metrics } from "@/lib/metrics";

export {
  DISCORD_ERROR_CODES,
  DiscordApiError,
  DiscordInvalidRequestBudgetError,
  DiscordNetworkError,
  DiscordTimeoutError,
  isDiscordError,
  toBudgetAppError,
} from "./errors";
// The guards (isDiscordApiError, isDiscordStatus, tokenResolutionCode, ...) are imported from ./errors directly.
export type { DiscordBudgetScope, DiscordError } from "./errors";
export type { DiscordCaller } from "./invalid-requests";
export { exchangeCode, refreshAccessToken } from "./oauth";
export type { DiscordTokenGrant, ExchangeCodeOptions, RefreshAccessTokenOptions } from "./oauth";

export const DEFAULT_TIMEOUT_MS = 10_000;
/** Longer rate-limit waits are surfaced as a 429 DiscordApiError (with retryAfter) instead of holding the caller. */
export const MAX_RATE_LIMIT_WAIT_MS = 5_000;
/** Discord's limit on X-Audit-Log-Reason. */
export const AUDIT_REASON_MAX = 512;

export type DiscordClientKind = "Bot" | "Bearer";

export type CreateDiscordClientOptions = {
  token: string;
  kind: DiscordClientKind;
  /** Whole-call deadline, rate-limit waits and retries included (default 10 s). */
  timeoutMs?: number;
  /** On whose behalf: whose share of the invalid-request budget the calls spend (default the platform's part only). */
  caller?: DiscordCaller;
};

export type ReasonOption = { reason?: string };

export type DiscordClient = {
  getGuild(guildId: string, options?: { withCounts?: boolean }): Promise<RESTGetAPIGuildResult>;
  getGuildRoles(guildId: string): Promise<RESTGetAPIGuildRolesResult>;
  getGuildChannels(guildId: string): Promise<RESTGetAPIGuildChannelsResult>;
  createGuildRole(
    guildId: string,
    body: RESTPostAPIGuildRoleJSONBody,
    options?: ReasonOption,
  ): Promise<RESTPostAPIGuildRoleResult>;
  getGuildMember(guildId: string, userId: string): Promise<RESTGetAPIGuildMemberResult>;
  /** Members whose user name or nickname starts with `query` (GET /guilds/{guild}/members/search, limit 1-1000). */
  searchGuildMembers(guildId: string, query: string, limit: number): Promise<RESTGetAPIGuildMembersSearchResult>;
  addGuildMemberRole(guildId: string, userId: string, roleId: string, options?: ReasonOption): Promise<void>;
  removeGuildMemberRole(guildId: string, userId: string, roleId: string, options?: ReasonOption): Promise<void>;
  getCurrentUser(): Promise<RESTGetAPICurrentUserResult>;
  getCurrentUserGuilds(): Promise<RESTGetAPICurrentUserGuildsResult>;
  /** The bot leaves the guild. */
  leaveGuild(guildId: string): Promise<void>;
  /** The bot's DM channel with a user (Discord returns the same one every time; sending to it may still be refused). */
  createDM(recipientId: string): Promise<RESTPostAPICurrentUserCreateDMChannelResult>;
  createMessage(channelId: string, body: RESTPostAPIChannelMessageJSONBody): Promise<RESTPostAPIChannelMessageResult>;
  /** A page of the channel's history, newest first (without Read Message History Discord answers none). */
  getChannelMessages(
    channelId: string,
    query: Pick<RESTGetAPIChannelMessagesQuery, "limit" | "before" | "after">,
  ): Promise<RESTGetAPIChannelMessagesResult>;
  editMessage(
    channelId: string,
    messageId: string,
    body: RESTPatchAPIChannelMessageJSONBody,
  ): Promise<RESTPatchAPIChannelMessageResult>;
  deleteMessage(channelId: string, messageId: string): Promise<void>;
  /** An invite to a guild channel (needs Create Instant Invite there). */
  createChannelInvite(
    channelId: string,
    body: RESTPostAPIChannelInviteJSONBody,
    options?: ReasonOption,
  ): Promise<RESTPostAPIChannelInviteResult>;
};

export type UnauthorizedTokenEvent = { token: string; kind: DiscordClientKind };
type UnauthorizedListener = (event: UnauthorizedTokenEvent) => void | Promise<void>;

export const tokenHash = (kind: DiscordClientKind, token: string) =>
  `${kind}:${createHash("sha256").update(token).digest("base64url")}`;

// Per process, not per module instance: the route handlers and the worker are separate chunks of one build, and
// both must reach the one token resolver's 401 listener and share one REST client (one set of buckets) per token.
const shared = globalThis as unknown as {
  guildgateUnauthorizedListeners?: Set<UnauthorizedListener>;
  guildgateDiscordRest?: LRUCache<string, REST>;
};
const listeners = (shared.guildgateUnauthorizedListeners ??= new Set());
const rests = (shared.guildgateDiscordRest ??= new LRUCache<string, REST>({
  max: 1_000,
  dispose: (rest) => {
    rest.clearHashSweeper();
    rest.clearHandlerSweeper();
  },
}));

/** Called (and awaited) when Discord answers 401 to a token, before the caller sees the error. */
export function onUnauthorizedToken(listener: UnauthorizedListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Tests: forget cached clients and everything this process cached of the shared state. */
export function resetDiscordClients(): void {
  rests.clear();
  resetRejectedTokenCache();
  resetDiscordBudget();
  resetGlobalLimit();
}

/** Cuts a reason so its URL-encoded form fits Discord's 512 characters, never splitting a character. */
export function auditLogReason(reason: string | undefined): string | undefined {
  if (!reason) return undefined;
  let out = "";
  let encodedLength = 0;
  for (const char of reason) {
    const length = encodeURIComponent(char).length;
    if (encodedLength + length > AUDIT_REASON_MAX) break;
    out += char;
    encodedLength += length;
  }
  return out || undefined;
}

function apiBase(): { api: string; version: string } {
  const base = env.DISCORD_API_BASE_URL.replace(/\/+$/, "");
  const match = /^(.*)\/v(\d+)$/.exec(base);
  return match ? { api: match[1]!, version: match[2]! } : { api: base, version: "10" };
}

/** fetch, after a point of the bot token's global limit (shared by every process) is free. */
function sendCountingGlobalLimit(hash: string): typeof fetch {
  return async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    await acquireGlobalSlot({
      tokenHash: hash,
      deadline: Date.now() + MAX_RATE_LIMIT_WAIT_MS,
      maxWaitMs: MAX_RATE_LIMIT_WAIT_MS,
      method: (init?.method ?? "GET").toUpperCase(),
      path: url.pathname,
    });
    return fetch(input, init);
  };
}

/** The REST client of one token, whatever the timeout or caller: one set of rate-limit buckets per token. */
function restFor(kind: DiscordClientKind, token: string, hash: string): REST {
  const cached = rests.get(hash);
  if (cached) return cached;
  const { api, version } = apiBase();
  const rest = new REST({
    api,
    version,
    authPrefix: kind,
    // A bot's point of Discord's global limit is taken here, as the request leaves (and for each of the library's
    // retries), not when a call is queued: the library sends a route's calls one after another, so a point taken
    // at queueing time could be spent long after, bunching requests into one second (global-limit.ts).
    makeRequest: (kind === "Bot" ? sendCountingGlobalLimit(hash) : fetch) as unknown as REST["options"]["makeRequest"],
    // Our whole-call deadline fires first; the library's per-attempt timer is only a backstop.
    timeout: DEFAULT_TIMEOUT_MS * 3,
    retries: 2,
    globalRequestsPerSecond: env.DISCORD_GLOBAL_REQUESTS_PER_SECOND,
    // Waits longer than the cap are refused (a 429 with retryAfter); each call's own deadline is checked too.
    rejectOnRateLimit: (data) => data.retryAfter > MAX_RATE_LIMIT_WAIT_MS,
  }).setToken(token);
  rest.on("response", (request, response) => {
    metrics.discordRequest({ route: request.route, method: request.method.toUpperCase(), status: response.status });
    if (isInvalidResponse(response.status, response.headers.get("x-ratelimit-scope"))) {
      metrics.invalidRequest(response.status);
      void recordInvalidResponse();
    }
  });
  rest.on("rateLimited", (info) =>
    metrics.rateLimitWait({ scope: info.global ? "global" : info.scope, seconds: info.timeToReset / 1000 }),
  );
  rests.set(hash, rest);
  return rest;
}

/** A client for `token`. The REST client behind it is cached per token, so every caller shares its rate-limit state. */
export function createDiscordClient(options: CreateDiscordClientOptions): DiscordClient {
  const { token, kind, caller } = options;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const hash = tokenHash(kind, token);
  const rest = restFor(kind, token, hash);

  async function call<T>(
    method: "get" | "post" | "put" | "patch" | "delete",
    route: RouteLike,
    data: RequestData = {},
    schema?: DiscordPayloadSchema,
  ): Promise<T> {
    const label = method.toUpperCase();
    const deadline = Date.now() + timeoutMs;
    if (await isTokenRejected(hash)) {
      throw new DiscordApiError({
        status: 401,
        code: 0,
        message: "token was rejected earlier; not sent again",
        method: label,
        path: route,
      });
    }
    await assertDiscordBudget(caller, label, route);
    const signal = AbortSignal.timeout(Math.max(1, deadline - Date.now()));
    let body: unknown;
    try {
      body = await rest[method](route, { ...data, signal });
    } catch (error) {
      const mapped = mapError(error, label, route, timeoutMs, signal);
      if (isRestApiError(error) && isInvalidResponse(error.status, null)) await chargeCaller(caller);
      if (isDiscordApiError(mapped) && mapped.isUnauthorized) await handleUnauthorized(token, kind, hash, route);
      throw mapped;
    }
    if (schema && !schema.safeParse(body).success) {
      throw new DiscordApiError({
        status: 502,
        code: 0,
        message: "unexpected response body",
        method: label,
        path: route,
      });
    }
    return body as T;
  }

  return {
    getGuild: (guildId, options = {}) =>
      call(
        "get",
        Routes.guild(guildId),
        { query: new URLSearchParams({ with_counts: String(options.withCounts ?? true) }) },
        DISCORD_PAYLOADS.guild,
      ),
    getGuildRoles: (guildId) => call("get", Routes.guildRoles(guildId), {}, DISCORD_PAYLOADS.roles),
    getGuildChannels: (guildId) => call("get", Routes.guildChannels(guildId), {}, DISCORD_PAYLOADS.channels),
    createGuildRole: (guildId, body, options = {}) =>
      call("post", Routes.guildRoles(guildId), { body, reason: auditLogReason(options.reason) }, DISCORD_PAYLOADS.role),
    getGuildMember: (guildId, userId) => call("get", Routes.guildMember(guildId, userId), {}, DISCORD_PAYLOADS.member),
    searchGuildMembers: (guildId, query, limit) =>
      call(
        "get",
        Routes.guildMembersSearch(guildId),
        { query: new URLSearchParams({ query, limit: String(limit) }) },
        DISCORD_PAYLOADS.members,
      ),
    addGuildMemberRole: async (guildId, userId, roleId, options = {}) => {
      await call("put", Routes.guildMemberRole(guildId, userId, roleId), { reason: auditLogReason(options.reason) });
    },
    removeGuildMemberRole: async (guildId, userId, roleId, options = {}) => {
      await call("delete", Routes.guildMemberRole(guildId, userId, roleId), { reason: auditLogReason(options.reason) });
    },
    getCurrentUser: () => call("get", Routes.user("@me"), {}, DISCORD_PAYLOADS.user),
    getCurrentUserGuilds: () => call("get", Routes.userGuilds(), {}, DISCORD_PAYLOADS.userGuilds),
    leaveGuild: async (guildId) => {
      await call("delete", Routes.userGuild(guildId));
    },
    createDM: (recipientId) =>
      call("post", Routes.userChannels(), { body: { recipient_id: recipientId } }, DISCORD_PAYLOADS.channel),
    createMessage: (channelId, body) =>
      call("post", Routes.channelMessages(channelId), { body }, DISCORD_PAYLOADS.message),
    getChannelMessages: (channelId, query) =>
      call(
        "get",
        Routes.channelMessages(channelId),
        {
          query: new URLSearchParams(
            Object.entries(query).flatMap(([k, v]) => (v === undefined ? [] : [[k, String(v)]])),
          ),
        },
        DISCORD_PAYLOADS.messages,
      ),
    editMessage: (channelId, messageId, body) =>
      call("patch", Routes.channelMessage(channelId, messageId), { body }, DISCORD_PAYLOADS.message),
    deleteMessage: async (channelId, messageId) => {
      await call("delete", Routes.channelMessage(channelId, messageId));
    },
    createChannelInvite: (channelId, body, options = {}) =>
      call("post", Routes.channelInvites(channelId), { body, reason: auditLogReason(options.reason) }),
  };
}

/** Records the rejection for every process, then tells this process's listeners (the token resolver). */
async function handleUnauthorized(token: string, kind: DiscordClientKind, hash: string, path: string): Promise<void> {
  // Failures here (the database is down, say) must not replace the caller's Discord error.
  await recordRejectedToken(hash).catch((error: unknown) => {
    logger.warn({ path, error: error instanceof Error ? error.name : "error" }, "could not record a rejected token");
  });
  for (const listener of listeners) {
    await Promise.resolve()
      .then(() => listener({ token, kind }))
      .catch((error: unknown) => {
        logger.warn({ path, error: error instanceof Error ? error.name : "error" }, "a 401 listener failed");
      });
  }
}

/**
 * Turns whatever @discordjs/rest or fetch threw into one of our errors, copying only safe fields. The library's
 * errors are recognised by their fields: the REST client is shared per process (globalThis), so the copy of
 * @discordjs/rest that threw may not be the copy this module imported.
 */
function mapError(error: unknown, method: string, path: string, timeoutMs: number, deadline: AbortSignal): Error {
  // Ours already: the global limit refused the request before it was sent (sendCountingGlobalLimit).
  if (isDiscordApiError(error)) return error;
  if (isRestApiError(error)) {
    const raw = error.rawError;
    return new DiscordApiError({
      status: error.status,
      code: typeof error.code === "number" ? error.code : 0,
      message: typeof raw.message === "string" ? raw.message : "Discord error",
      method,
      path,
      retryAfter: typeof raw.retry_after === "number" ? raw.retry_after : undefined,
    });
  }
  if (isRestRateLimitError(error)) {
    return new DiscordApiError({
      status: 429,
      code: 0,
      message: `rate limited (${error.scope}${error.global ? ", global" : ""})`,
      method,
      path,
      retryAfter: Math.ceil(error.retryAfter / 1000),
    });
  }
  if (isRestHttpError(error)) {
    return new DiscordApiError({
      status: error.status,
      code: 0,
      message: error.message || "server error",
      method,
      path,
    });
  }
  if (deadline.aborted || isAbortOrTimeout(error)) return new DiscordTimeoutError(method, path, timeoutMs);
  const name = error instanceof Error ? error.name : "";
  // Network failures: only the error class and the system code, never the message (it can echo the request).
  const code = (error as { cause?: { code?: unknown } })?.cause?.code;
  return new DiscordNetworkError(method, path, typeof code === "string" ? `${name} ${code}` : name || "network error");
}
