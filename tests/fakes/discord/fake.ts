// The fake's front door: one `(Request) => Promise<Response>` that routes, applies injected faults and rate limits,
// records every request, and answers like Discord. msw (index.ts) and the sandbox server (http-server.ts) mount it.
import { API_ROUTES, type ApiRoute, type AuditEntry, matchTemplate } from "./api";
import { INVITE_ROUTES } from "./invites";
import { MESSAGE_ROUTES } from "./messages";
import { resolveInteractionRoute } from "./interactions";
import { type Fault, FaultQueue, type RateLimitConfig, RateLimiter } from "./limits";
import { DiscordModel } from "./model";
import { authorizePage, authorizeSubmit, installBot, revokeEndpoint, tokenEndpoint } from "./oauth";
import { DISCORD_ERRORS, discordError, errorForStatus, rateLimited } from "./responses";

export type RecordedRequest = {
  method: string;
  /** The route id ("GET /guilds/{guild_id}"), or null for a path the fake does not know. */
  route: string | null;
  path: string;
  params: Record<string, string>;
  url: string;
  headers: Record<string, string>;
  body: string;
  /** The decoded X-Audit-Log-Reason. */
  auditLogReason: string | null;
  /** The status answered, or "dropped" for a dropped connection. */
  status: number | "dropped";
  at: number;
};

export type IssueCodeInput = {
  clientId: string;
  userId: string;
  scopes: string[];
  redirectUri: string;
  guildId?: string;
  permissions?: bigint;
  /** PKCE S256 challenge the token exchange must match. */
  codeChallenge?: string;
};

type Route = {
  id: string;
  params: Record<string, string>;
  run: (request: Request, url: URL, params: Record<string, string>, reason: string | null) => Promise<Response>;
  rateLimited: boolean;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Every REST route the fake serves, in match order. */
const ROUTES: ApiRoute[] = [...API_ROUTES, ...MESSAGE_ROUTES, ...INVITE_ROUTES];

/** `/api/v10/users/@me` and `/api/users/@me` are the same route, as on Discord. */
function stripApiPrefix(pathname: string): string | undefined {
  const match = /^\/api(?:\/v\d+)?(\/.*)$/.exec(pathname);
  return match ? match[1] : undefined;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function decodeReason(value: string | null): string | null {
  return value === null ? null : safeDecode(value);
}

export class DiscordFake {
  readonly model = new DiscordModel();
  readonly faults = new FaultQueue();
  readonly limits = new RateLimiter();
  readonly recorded: RecordedRequest[] = [];
  /** Role changes with their audit-log reasons, as Discord's guild audit log would show them. */
  readonly auditLog: AuditEntry[] = [];

  /** Forgets everything: model, faults, limits, recordings. */
  reset(): void {
    this.model.clear();
    this.faults.clear();
    this.limits.reset();
    this.recorded.length = 0;
    this.auditLog.length = 0;
  }

  /** Applies `fault` to the next `fault.times` (default 1) calls of `fault.route`. */
  injectFault(fault: Fault): void {
    this.faults.add(fault);
  }

  configureRateLimits(config: Partial<RateLimitConfig>): void {
    this.limits.configure(config);
  }

  /** Recorded requests, optionally only those of one route id. */
  requests(route?: string): RecordedRequest[] {
    return route ? this.recorded.filter((r) => r.route === route) : [...this.recorded];
  }

  countRequests(route?: string): number {
    return route ? this.recorded.reduce((n, r) => n + (r.route === route ? 1 : 0), 0) : this.recorded.length;
  }

  clearRequests(): void {
    this.recorded.length = 0;
  }

  /** Moves the fake's clock (token and code expiry) forward. */
  advanceTime(ms: number): void {
    this.model.clockOffsetMs += ms;
  }

  /**
   * What clicking Authorize does, without the page: for the `bot` scope the bot joins `guildId` first. Returns the
   * code the redirect would carry.
   */
  issueAuthorizationCode(input: IssueCodeInput): string {
    const application = this.model.applications.get(input.clientId);
    if (!application) throw new Error(`fake: unknown application ${input.clientId}`);
    const permissions = input.permissions ?? 0n;
    if (input.scopes.includes("bot")) {
      if (!input.guildId) throw new Error("fake: the bot scope needs a guildId");
      installBot(this.model, input.guildId, application, permissions);
    }
    return this.model.issueCode({
      applicationId: application.id,
      userId: input.userId,
      scopes: input.scopes,
      redirectUri: input.redirectUri,
      guildId: input.guildId,
      permissions,
      codeChallenge: input.codeChallenge,
    }).code;
  }

  private resolve(method: string, pathname: string): Route | undefined {
    const m = this.model;
    if (pathname === "/oauth2/authorize" || pathname === "/api/oauth2/authorize") {
      if (method === "GET")
        return {
          id: "GET /oauth2/authorize",
          params: {},
          rateLimited: false,
          run: async (_r, url) => authorizePage(m, url),
        };
      if (method === "POST")
        return { id: "POST /oauth2/authorize", params: {}, rateLimited: false, run: (r) => authorizeSubmit(m, r) };
    }
    const path = stripApiPrefix(pathname);
    if (path === undefined) return undefined;
    if (method === "POST" && path === "/oauth2/token")
      return { id: "POST /oauth2/token", params: {}, rateLimited: false, run: (r) => tokenEndpoint(m, r) };
    if (method === "POST" && path === "/oauth2/token/revoke") {
      return { id: "POST /oauth2/token/revoke", params: {}, rateLimited: false, run: (r) => revokeEndpoint(m, r) };
    }
    // The interaction webhook (tests/fakes/discord/interactions.ts): the token in the path is the credential.
    const interactionRoute = resolveInteractionRoute(this, method, path);
    if (interactionRoute) return interactionRoute;
    for (const route of ROUTES) {
      if (route.method !== method) continue;
      const params = matchTemplate(route.template, path);
      if (!params) continue;
      return {
        id: `${route.method} ${route.template}`,
        params,
        rateLimited: true,
        run: async (request, url, routeParams, reason) => {
          const principal = m.principal(request.headers.get("authorization"));
          if (!principal || (route.botOnly && principal.kind !== "bot"))
            return discordError(DISCORD_ERRORS.UNAUTHORIZED);
          const decision = this.limits.check({
            routeId: `${route.method} ${route.template}`,
            majorId: routeParams.guild_id ?? routeParams.channel_id ?? "",
            principalKey: request.headers.get("authorization")!,
            now: Date.now(),
          });
          if (decision.limited) return rateLimited(decision);
          const response = await route.handle({
            model: m,
            principal,
            params: routeParams,
            url,
            request,
            reason,
            audit: (entry) => this.auditLog.push({ ...entry, at: Date.now() }),
          });
          for (const [k, v] of Object.entries(decision.headers)) response.headers.set(k, v);
          return response;
        },
      };
    }
    return undefined;
  }

  /** Answers one request as Discord would. A dropped connection is `Response.error()`. */
  handle = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    // Clients may percent-encode segments (`/users/%40me`); Discord decodes them.
    const route = this.resolve(request.method, safeDecode(url.pathname));
    const record: RecordedRequest = {
      method: request.method,
      route: route?.id ?? null,
      path: url.pathname,
      params: route?.params ?? {},
      url: request.url,
      headers: Object.fromEntries(request.headers),
      body: await request.clone().text(),
      auditLogReason: decodeReason(request.headers.get("x-audit-log-reason")),
      status: 0,
      at: Date.now(),
    };
    this.recorded.push(record);
    const response = await this.answer(request, url, route, record.auditLogReason);
    record.status = response.type === "error" ? "dropped" : response.status;
    return response;
  };

  private async answer(request: Request, url: URL, route: Route | undefined, reason: string | null): Promise<Response> {
    if (!route) return discordError(DISCORD_ERRORS.NOT_FOUND);
    const fault = this.faults.take(route.id);
    if (fault?.afterHandling) {
      // Discord did the work; only its answer is late or lost on the way back.
      const handled = await route.run(request, url, route.params, reason);
      return (await this.faultAnswer(fault)) ?? handled;
    }
    return (await this.faultAnswer(fault)) ?? route.run(request, url, route.params, reason);
  }

  /** The answer a fault forces, after its delay; undefined when it only delays. */
  private async faultAnswer(fault: Fault | undefined): Promise<Response | undefined> {
    if (!fault) return undefined;
    if (fault.delayMs) await sleep(fault.delayMs);
    if (fault.drop) return Response.error();
    if (fault.status === 429) {
      const retryAfterS = fault.retryAfter ?? 1;
      return rateLimited({
        retryAfterS,
        global: false,
        headers: {
          "Retry-After": String(Math.ceil(retryAfterS)),
          "X-RateLimit-Scope": "user",
          "X-RateLimit-Limit": "1",
          "X-RateLimit-Remaining": "0",
          "X-RateLimit-Reset-After": retryAfterS.toFixed(3),
          "X-RateLimit-Reset": ((Date.now() + retryAfterS * 1000) / 1000).toFixed(3),
          "X-RateLimit-Bucket": "fault",
        },
      });
    }
    if (fault.status) {
      const base = errorForStatus(fault.status);
      return discordError({
        status: fault.status,
        code: fault.code ?? base.code,
        message: fault.message ?? base.message,
      });
    }
    return undefined;
  }
}
