// Length (past ~300 lines): the three kinds of caller resolved in one place is the point of this module.
// The one guard every authenticated route handler goes through, built on route() (so it is counted and its refusals
// logged like any route), after dub's withWorkspace: `withAuth({ auth, permission, scope }, handler)` resolves who is
// calling (session cookie, API token, or either), the organization (by the URL's slug for a session, by the token
// for a token), checks the permission (authorize.ts) or the scope, and hands the handler a typed context whose
// organization id is the only one lib functions may use. Not a member -> 404 (the organization's existence is not
// revealed), member without the permission -> 403. A member's denial is audited in the organization's log; an
// outsider's (signed out, not a member, cross-site, dead token) only counted and sampled into the security log
// (denials.ts), so nobody outside an organization can write into its log. Pages have the same check in
// page-guard.ts.
import type { MemberRole, OrganizationStatus } from "@/generated/prisma/enums";
import { recordAudit } from "@/lib/audit/record-audit";
import { AppError } from "@/lib/errors/app-error";
import { route, type RouteHandler } from "@/lib/http/route";
import { findOrgAccess } from "@/lib/security/org-access";
import { ApiTokenError, validateToken, type ApiScope, type ValidatedToken } from "@/lib/security/api-tokens";
import { can, type Permission } from "@/lib/security/authorize";
import { noteOutsiderDenial, OUTSIDER_DENIAL_REASONS, type OutsiderDenialReason } from "@/lib/security/denials";
import { clientIp, isSameOrigin, isStateChanging } from "@/lib/security/origin";
import { redirectTo } from "@/lib/security/redirect";
import { getSession, SESSION_COOKIE, type ResolvedSession } from "@/lib/security/session";

export type UserActor = { kind: "user"; userId: string; role: MemberRole };
export type TokenActor = { kind: "apiToken"; tokenId: string; scopes: string[] };
export type OrgActor = UserActor | TokenActor;

/** What an authorized org-scoped handler gets; `A` narrows the actor to what the route's `auth` lets in. */
export type OrgContext<A extends OrgActor = OrgActor> = {
  organization: { id: string; slug: string; name: string; status: OrganizationStatus };
  actor: A;
  requestId: string;
  ip: string | null;
  /** API-token requests only: the organization's bot connection, read with the token (no second query). */
  connection?: ValidatedToken["connection"];
};

/** The audit actor of an authorized request: the member, or the API token (the other id null). */
export function auditActorOf(ctx: Pick<OrgContext, "actor">): { userId: string | null; apiTokenId: string | null } {
  return ctx.actor.kind === "user"
    ? { userId: ctx.actor.userId, apiTokenId: null }
    : { userId: null, apiTokenId: ctx.actor.tokenId };
}

/** The signed-in member behind a request, for what only people may do (review, manage members and tokens). */
export function memberActorOf(ctx: Pick<OrgContext, "actor">): { userId: string; role: MemberRole } {
  if (ctx.actor.kind !== "user") throw new AppError("forbidden", "Only signed-in members can do this, not API tokens.");
  return { userId: ctx.actor.userId, role: ctx.actor.role };
}

export type UserContext = {
  user: ResolvedSession["user"];
  session: ResolvedSession["session"];
  requestId: string;
  ip: string | null;
};

export type OrgHandler<P, A extends OrgActor = OrgActor> = (
  request: Request,
  ctx: OrgContext<A>,
  params: P,
) => Promise<Response>;
export type UserHandler<P> = (request: Request, ctx: UserContext, params: P) => Promise<Response>;

type DenialReason = OutsiderDenialReason | "missing_permission" | "missing_scope";

export type RecordDenialOptions = {
  /** Written into this organization's log only for a member's (or its own token's) denial. */
  organizationId: string | null;
  actor?: { userId?: string | null; apiTokenId?: string | null };
  reason: DenialReason;
  permission?: string;
  request?: Request;
  path?: string;
  ip: string | null;
};

export async function recordDenial(options: RecordDenialOptions): Promise<void> {
  const url = options.request ? new URL(options.request.url) : undefined;
  const path = options.path ?? url?.pathname;
  if (isOutsiderReason(options.reason) || !options.organizationId) {
    const reason = isOutsiderReason(options.reason) ? options.reason : "not_member";
    noteOutsiderDenial({ reason, method: options.request?.method, path, permission: options.permission });
    return;
  }
  await recordAudit({
    organizationId: options.organizationId,
    actor: options.actor,
    action: "access.denied",
    outcome: "DENIED",
    metadata: {
      reason: options.reason,
      ...(options.permission ? { permission: options.permission } : {}),
      ...(options.request ? { method: options.request.method } : {}),
      path,
    },
    ip: options.ip,
  });
}

function isOutsiderReason(reason: DenialReason): reason is OutsiderDenialReason {
  return (OUTSIDER_DENIAL_REASONS as readonly string[]).includes(reason);
}

/** Sends a slid session cookie back, unless the handler already set the session cookie (sign out). */
function sendRenewedCookie(response: Response, resolved: ResolvedSession): void {
  if (!resolved.renewedCookie) return;
  const existing = response.headers.get("set-cookie") ?? "";
  if (existing.includes(`${SESSION_COOKIE}=`)) return;
  try {
    response.headers.append("Set-Cookie", resolved.renewedCookie);
  } catch {
    // Response.redirect() has immutable headers; the guard's redirects (redirectTo) have mutable ones.
  }
}

async function requireSameOrigin(request: Request, ip: string | null): Promise<void> {
  if (!isStateChanging(request.method) || isSameOrigin(request)) return;
  await recordDenial({ organizationId: null, reason: "cross_origin", request, ip });
  throw new AppError("cross_origin", "This request must come from the Guildgate dashboard.");
}

/** A signed-in user, no organization (create an organization, sign out everywhere). */
export type SignedInOptions = { auth: "session"; permission?: undefined };

/** A signed-in member of the organization in the URL with `permission`. */
export type SessionOptions<P> = {
  auth: "session";
  permission: Permission;
  /** Where the organization's slug comes from when it is not the route's [slug] (a query parameter). */
  slug?: (request: Request, params: P) => string;
  /**
   * For GET routes a browser navigates to (a link, not fetch): denials are pages, not JSON. Signed out ->
   * /signin?next=signInNext(slug); not a member or no permission -> /dashboard?error=forbidden (one answer for
   * both, so the organization's existence is not revealed).
   */
  navigation?: { signInNext: (slug: string) => string };
};

/** Other services: `Authorization: Bearer ggt_...` with `scope`; the organization comes from the token. */
export type TokenOptions = { auth: "token"; scope: ApiScope };

/**
 * Both kinds of caller on one handler: a request with an Authorization header is a token's (scope), any other a
 * session's (permission, organization from the URL's [slug]). A route without [slug] takes tokens only; a token on a
 * route with [slug] must belong to that organization (404 otherwise, like a non-member).
 */
export type EitherOptions = { auth: "either"; permission: Permission; scope: ApiScope };

export type AuthOptions<P> = SignedInOptions | SessionOptions<P> | TokenOptions | EitherOptions;

export function withAuth<P = Record<string, string>>(
  options: SignedInOptions,
  handler: UserHandler<P>,
): RouteHandler<P>;
export function withAuth<P = Record<string, string>>(
  options: SessionOptions<P>,
  handler: OrgHandler<P, UserActor>,
): RouteHandler<P>;
export function withAuth<P = Record<string, string>>(
  options: TokenOptions,
  handler: OrgHandler<P, TokenActor>,
): RouteHandler<P>;
export function withAuth<P = Record<string, string>>(options: EitherOptions, handler: OrgHandler<P>): RouteHandler<P>;
export function withAuth<P>(
  options: AuthOptions<P>,
  handler: UserHandler<P> | OrgHandler<P, UserActor> | OrgHandler<P, TokenActor>,
): RouteHandler<P> {
  return route<P>(async (request, context, requestId) => {
    const params = ((await context?.params) ?? {}) as P;
    const ip = clientIp(request);
    if (options.auth === "token") {
      const ctx = await authorizeToken(request, options.scope, undefined, requestId, ip);
      return (handler as OrgHandler<P, TokenActor>)(request, ctx, params);
    }
    if (options.auth === "session" && options.permission === undefined) {
      await requireSameOrigin(request, ip);
      const resolved = await getSession({ request });
      if (!resolved) throw new AppError("unauthorized", "Sign in to continue.");
      const ctx: UserContext = { user: resolved.user, session: resolved.session, requestId, ip };
      const response = await (handler as UserHandler<P>)(request, ctx, params);
      sendRenewedCookie(response, resolved);
      return response;
    }
    const urlSlug = (params as { slug?: unknown }).slug;
    const slug =
      options.auth === "session" && options.slug
        ? options.slug(request, params)
        : typeof urlSlug === "string"
          ? urlSlug
          : undefined;
    if (options.auth === "either" && (request.headers.has("authorization") || slug === undefined)) {
      const ctx = await authorizeToken(request, options.scope, slug, requestId, ip);
      return (handler as OrgHandler<P, TokenActor>)(request, ctx, params);
    }
    const outcome = await authorizeMember(request, slug ?? "", options.permission, requestId, ip);
    if (outcome.kind !== "granted") {
      const navigation = options.auth === "session" ? options.navigation : undefined;
      if (!navigation) throw memberDenialError(outcome.kind);
      if (outcome.kind === "unauthenticated")
        return redirectTo(`/signin?next=${encodeURIComponent(navigation.signInNext(slug ?? ""))}`);
      return redirectTo("/dashboard?error=forbidden");
    }
    const response = await (handler as OrgHandler<P, UserActor>)(request, outcome.ctx, params);
    sendRenewedCookie(response, outcome.resolved);
    return response;
  });
}

type MemberOutcome =
  | { kind: "granted"; ctx: OrgContext<UserActor>; resolved: ResolvedSession }
  | { kind: "unauthenticated" | "not_member" | "missing_permission" };

/** Origin, session, membership and permission for `slug`; every denial is recorded before it is returned. */
async function authorizeMember(
  request: Request,
  slug: string,
  permission: Permission,
  requestId: string,
  ip: string | null,
): Promise<MemberOutcome> {
  // Origin first: a cross-site request must not load (or renew) the session.
  await requireSameOrigin(request, ip);
  const resolved = await getSession({ request });
  if (!resolved) {
    await recordDenial({ organizationId: null, reason: "unauthenticated", permission, request, ip });
    return { kind: "unauthenticated" };
  }
  const userId = resolved.user.id;
  const access = await findOrgAccess({ slug, userId });
  if (access.kind !== "member") {
    await recordDenial({
      organizationId: access.kind === "not_member" ? access.organization.id : null,
      actor: { userId },
      reason: "not_member",
      permission,
      request,
      ip,
    });
    return { kind: "not_member" };
  }
  if (!can(access.role, permission)) {
    await recordDenial({
      organizationId: access.organization.id,
      actor: { userId },
      reason: "missing_permission",
      permission,
      request,
      ip,
    });
    return { kind: "missing_permission" };
  }
  const ctx = { organization: access.organization, actor: { kind: "user", userId, role: access.role }, requestId, ip };
  return { kind: "granted", ctx: ctx as OrgContext<UserActor>, resolved };
}

function memberDenialError(kind: Exclude<MemberOutcome["kind"], "granted">): AppError {
  if (kind === "unauthenticated") return new AppError("unauthorized", "Sign in to continue.");
  if (kind === "not_member") return new AppError("not_found", "Organization not found.");
  return new AppError("forbidden", "Your role does not allow this.");
}

const API_TOKEN_MESSAGES: Record<ApiTokenError["code"], string> = {
  MALFORMED: "Send an API token as Authorization: Bearer ggt_...",
  BAD_CHECKSUM: "The API token is mistyped.",
  UNKNOWN: "The API token is not valid.",
  REVOKED: "The API token has been revoked.",
  EXPIRED: "The API token has expired.",
};

/**
 * No token or a bad one -> 401; a token of another organization than the URL's `slug` -> 404; a suspended
 * organization's token -> 409 organization_suspended; a token without the scope -> 403 (audited). No cookies, so
 * no origin check.
 */
async function authorizeToken(
  request: Request,
  scope: ApiScope,
  slug: string | undefined,
  requestId: string,
  ip: string | null,
): Promise<OrgContext<TokenActor>> {
  const match = /^Bearer\s+(\S+)$/i.exec(request.headers.get("authorization") ?? "");
  const unauthorized = (message: string) => new AppError("unauthorized", message, { details: { scheme: "Bearer" } });
  if (!match) throw unauthorized(API_TOKEN_MESSAGES.MALFORMED);
  let token;
  try {
    token = await validateToken(match[1]!);
  } catch (error) {
    if (error instanceof ApiTokenError) {
      // Garbage is refused without a database write; a real but dead token is worth a denial row.
      if (error.code === "REVOKED" || error.code === "EXPIRED") {
        await recordDenial({ organizationId: null, reason: "invalid_token", request, ip });
      }
      throw unauthorized(API_TOKEN_MESSAGES[error.code]);
    }
    throw error;
  }
  const { organization } = token;
  if (slug !== undefined && organization.slug !== slug) {
    // Another organization's URL: an outsider's request, answered like a non-member's.
    await recordDenial({ organizationId: null, reason: "not_member", permission: scope, request, ip });
    throw new AppError("not_found", "Organization not found.");
  }
  // A suspended organization's tokens act for nobody (the dashboard stays readable to its members).
  if (organization.status === "SUSPENDED") {
    throw new AppError("organization_suspended", "This API token's organization is suspended.");
  }
  if (!token.scopes.includes(scope)) {
    await recordDenial({
      organizationId: organization.id,
      actor: { apiTokenId: token.tokenId },
      reason: "missing_scope",
      permission: scope,
      request,
      ip,
    });
    throw new AppError("forbidden", `This API token lacks the ${scope} scope.`);
  }
  return {
    organization,
    actor: { kind: "apiToken", tokenId: token.tokenId, scopes: token.scopes },
    requestId,
    ip,
    connection: token.connection,
  };
}
