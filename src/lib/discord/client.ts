// The REST facade: the Discord calls the product makes, on @discordjs/rest (per-route buckets, the global limit,
// Retry-After, sublimits) through global fetch. Every failure becomes a typed error without the token; a token
// Discord answered 401 is never sent again by this process; 401/403/429 count against the shared invalid-request
// budget and calls are refused once it is nearly spent.
import { createHash } from "node:crypto";
import { DiscordAPIError, HTTPError, RateLimitError, REST, type RequestData, type RouteLike } from "@discordjs/rest";
import {
  type RESTGetAPICurrentUserGuildsResult,
  type RESTGetAPICurrentUserResult,
  type RESTGetAPIGuildChannelsResult,
  type RESTGetAPIGuildMemberResult,
  type RESTGetAPIGuildMembersSearchResult,
  type RESTGetAPIGuildResult,
  type RESTGetAPIGuildRolesResult,
  type RESTPostAPIGuildRoleJSONBody,
  type RESTPostAPIGuildRoleResult,
  Routes,
} from "discord-api-types/v10";
import { LRUCache } from "lru-cache";
import { env } from "@/lib/env";
import { logger } from "@/lib/logger";
import { DiscordApiError, DiscordInvalidRequestBudgetError, DiscordNetworkError, DiscordTimeoutError } from "./errors";
import { invalidRequestBudgetWait, isInvalidResponse, recordInvalidRequest } from "./invalid-requests";
import { DISCORD_PAYLOADS, type DiscordPayloadSchema } from "./payloads";

export { DiscordApiError, DiscordInvalidRequestBudgetError, DiscordNetworkError, DiscordTimeoutError, isDiscordError } from "./errors";
export type { DiscordError } from "./errors";
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
};

export type ReasonOption = { reason?: string };

export type DiscordClient = {
  getGuild(guildId: string, options?: { withCounts?: boolean }): Promise<RESTGetAPIGuildResult>;
  getGuildRoles(guildId: string): Promise<RESTGetAPIGuildRolesResult>;
  getGuildChannels(guildId: string): Promise<RESTGetAPIGuildChannelsResult>;
  createGuildRole(guildId: string, body: RESTPostAPIGuildRoleJSONBody, options?: ReasonOption): Promise<RESTPostAPIGuildRoleResult>;
  getGuildMember(guildId: string, userId: string): Promise<RESTGetAPIGuildMemberResult>;
  /** Members whose user name or nickname starts with `query` (GET /guilds/{guild}/members/search, limit 1-1000). */
  searchGuildMembers(guildId: string, query: string, limit: number): Promise<RESTGetAPIGuildMembersSearchResult>;
  addGuildMemberRole(guildId: string, userId: string, roleId: string, options?: ReasonOption): Promise<void>;
  removeGuildMemberRole(guildId: string, userId: string, roleId: string, options?: ReasonOption): Promise<void>;
  getCurrentUser(): Promise<RESTGetAPICurrentUserResult>;
  getCurrentUserGuilds(): Promise<RESTGetAPICurrentUserGuildsResult>;
  /** The bot leaves the guild. */
  leaveGuild(guildId: string): Promise<void>;
};

export type UnauthorizedTokenEvent = { token: string; kind: DiscordClientKind };
type UnauthorizedListener = (event: UnauthorizedTokenEvent) => void | Promise<void>;

const tokenKey = (kind: DiscordClientKind, token: string) => `${kind}:${createHash("sha256").update(token).digest("base64url")}`;

/** Tokens Discord rejected with 401, by hash: never sent again by this process. */
const rejected = new LRUCache<string, true>({ max: 10_000 });
const listeners = new Set<UnauthorizedListener>();

/** Called (and awaited) when Discord answers 401 to a token, before the caller sees the error. */
export function onUnauthorizedToken(listener: UnauthorizedListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const clients = new LRUCache<string, DiscordClient & { rest: REST }>({
  max: 1_000,
  dispose: (client) => {
    client.rest.clearHashSweeper();
    client.rest.clearHandlerSweeper();
  },
});

/** Tests: forget cached clients and rejected tokens. */
export function resetDiscordClients(): void {
  clients.clear();
  rejected.clear();
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

/** A client for `token`, cached per token: its rate-limit state is shared by every caller using that token. */
export function createDiscordClient(options: CreateDiscordClientOptions): DiscordClient {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const key = `${tokenKey(options.kind, options.token)}:${timeoutMs}`;
  const cached = clients.get(key);
  if (cached) return cached;
  const client = buildClient(options.token, options.kind, timeoutMs);
  clients.set(key, client);
  return client;
}

function buildClient(token: string, kind: DiscordClientKind, timeoutMs: number): DiscordClient & { rest: REST } {
  const { api, version } = apiBase();
  const rest = new REST({
    api,
    version,
    authPrefix: kind,
    makeRequest: fetch as unknown as REST["options"]["makeRequest"],
    // Our whole-call deadline (below) fires first; the library's per-attempt timer is only a backstop.
    timeout: timeoutMs + 1_000,
    retries: 2,
    rejectOnRateLimit: (data) => data.retryAfter > Math.min(MAX_RATE_LIMIT_WAIT_MS, timeoutMs),
  }).setToken(token);
  rest.on("response", (_request, response) => {
    if (isInvalidResponse(response.status, response.headers.get("x-ratelimit-scope"))) recordInvalidRequest();
  });
  const hash = tokenKey(kind, token);

  async function call<T>(
    method: "get" | "post" | "put" | "delete",
    route: RouteLike,
    data: RequestData = {},
    schema?: DiscordPayloadSchema,
  ): Promise<T> {
    const label = method.toUpperCase();
    if (rejected.has(hash)) {
      throw new DiscordApiError({ status: 401, code: 0, message: "token was rejected earlier; not sent again", method: label, path: route });
    }
    const wait = invalidRequestBudgetWait();
    if (wait > 0) throw new DiscordInvalidRequestBudgetError(label, route, wait);
    const signal = AbortSignal.timeout(timeoutMs);
    let body: unknown;
    try {
      body = await rest[method](route, { ...data, signal });
    } catch (error) {
      const mapped = mapError(error, label, route, timeoutMs, signal);
      if (mapped instanceof DiscordApiError && mapped.isUnauthorized) {
        rejected.set(hash, true);
        for (const listener of listeners) {
          // A failing listener (the database is down, say) must not replace the caller's Discord error.
          await Promise.resolve()
            .then(() => listener({ token, kind }))
            .catch((error: unknown) => {
              logger.warn({ path: route, error: error instanceof Error ? error.name : "error" }, "a 401 listener failed");
            });
        }
      }
      throw mapped;
    }
    if (schema && !schema.safeParse(body).success) {
      throw new DiscordApiError({ status: 502, code: 0, message: "unexpected response body", method: label, path: route });
    }
    return body as T;
  }

  return {
    rest,
    getGuild: (guildId, options = {}) =>
      call("get", Routes.guild(guildId), { query: new URLSearchParams({ with_counts: String(options.withCounts ?? true) }) }, DISCORD_PAYLOADS.guild),
    getGuildRoles: (guildId) => call("get", Routes.guildRoles(guildId), {}, DISCORD_PAYLOADS.roles),
    getGuildChannels: (guildId) => call("get", Routes.guildChannels(guildId), {}, DISCORD_PAYLOADS.channels),
    createGuildRole: (guildId, body, options = {}) =>
      call("post", Routes.guildRoles(guildId), { body, reason: auditLogReason(options.reason) }, DISCORD_PAYLOADS.role),
    getGuildMember: (guildId, userId) => call("get", Routes.guildMember(guildId, userId), {}, DISCORD_PAYLOADS.member),
    searchGuildMembers: (guildId, query, limit) =>
      call("get", Routes.guildMembersSearch(guildId), { query: new URLSearchParams({ query, limit: String(limit) }) }, DISCORD_PAYLOADS.members),
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
  };
}

/** Turns whatever @discordjs/rest or fetch threw into one of our errors, copying only safe fields. */
function mapError(error: unknown, method: string, path: string, timeoutMs: number, deadline: AbortSignal): Error {
  if (error instanceof DiscordAPIError) {
    const raw = error.rawError as { message?: unknown; retry_after?: unknown };
    return new DiscordApiError({
      status: error.status,
      code: typeof error.code === "number" ? error.code : 0,
      message: typeof raw.message === "string" ? raw.message : "Discord error",
      method,
      path,
      retryAfter: typeof raw.retry_after === "number" ? raw.retry_after : undefined,
    });
  }
  if (error instanceof RateLimitError) {
    return new DiscordApiError({
      status: 429,
      code: 0,
      message: `rate limited (${error.scope}${error.global ? ", global" : ""})`,
      method,
      path,
      retryAfter: Math.ceil(error.retryAfter / 1000),
    });
  }
  if (error instanceof HTTPError) {
    return new DiscordApiError({ status: error.status, code: 0, message: error.message || "server error", method, path });
  }
  const name = error instanceof Error ? error.name : "";
  if (deadline.aborted || name === "AbortError" || name === "TimeoutError") return new DiscordTimeoutError(method, path, timeoutMs);
  // Network failures: only the error class and the system code, never the message (it can echo the request).
  const code = (error as { cause?: { code?: unknown } })?.cause?.code;
  return new DiscordNetworkError(method, path, typeof code === "string" ? `${name} ${code}` : name || "network error");
}
