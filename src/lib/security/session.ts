// Database sessions. The browser holds a random token in an httpOnly, SameSite=Lax cookie; the database holds only
// its SHA-256, so a database leak yields no usable session. 30-day expiry, renewed (sliding) once less than half
// of it is left, so an active admin stays signed in and renewal costs one UPDATE per 15 days, not per request.
import { recordAudit } from "@/lib/audit/record-audit";
import { db as defaultDb, type Db, type Tx } from "@/lib/db";
import { buildCookie, clearedCookie, readCookie } from "@/lib/security/cookies";
import { isSessionTokenShape, newSessionToken, hashSessionToken } from "@/lib/security/session-token";

export { hashSessionToken };

export const SESSION_COOKIE = "gg_session";
export const SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;
const RENEW_WHEN_LEFT_MS = SESSION_TTL_MS / 2;

export type SessionUser = { id: string; discordUserId: string; name: string; avatar: string | null };
export type SessionInfo = { id: string; userId: string; expiresAt: Date };
export type ResolvedSession = {
  user: SessionUser;
  session: SessionInfo;
  /** Set when this lookup extended the expiry: send it back as a Set-Cookie header. */
  renewedCookie?: string;
};

export function sessionCookie(token: string, expiresAt: Date): string {
  return buildCookie({ name: SESSION_COOKIE, value: token, maxAgeSeconds: (expiresAt.getTime() - Date.now()) / 1000 });
}

export const clearedSessionCookie = () => clearedCookie(SESSION_COOKIE);

export function sessionTokenFromRequest(request: Request): string | undefined {
  return readCookie(request.headers.get("cookie"), SESSION_COOKIE);
}

export type CreateSessionOptions = { userId: string; userAgent?: string | null; ip?: string | null; db?: Db };
export type CreatedSession = { token: string; expiresAt: Date; cookie: string; sessionId: string };

export async function createSession(options: CreateSessionOptions): Promise<CreatedSession> {
  const client = options.db ?? defaultDb;
  const { token, tokenHash } = newSessionToken();
  const expiresAt = new Date(Date.now() + SESSION_TTL_MS);
  // Housekeeping on sign-in: this user's expired rows go (indexed by userId), so the table does not grow forever.
  await client.session.deleteMany({ where: { userId: options.userId, expiresAt: { lte: new Date() } } });
  const row = await client.session.create({
    data: {
      tokenHash,
      userId: options.userId,
      expiresAt,
      userAgent: options.userAgent?.slice(0, 300) ?? null,
      ip: options.ip ?? null,
    },
    select: { id: true },
  });
  return { token, expiresAt, cookie: sessionCookie(token, expiresAt), sessionId: row.id };
}

export type ResolveSessionOptions = {
  token: string | undefined;
  /** Slide the expiry when due (default true). Off where the renewed cookie cannot be sent back (server components). */
  renew?: boolean;
  db?: Db;
  now?: Date;
};

/** The session for a cookie token, or null when absent, unknown or expired. Renews a session past half its life. */
export async function resolveSession(options: ResolveSessionOptions): Promise<ResolvedSession | null> {
  const { token } = options;
  if (!isSessionTokenShape(token)) return null;
  const client = options.db ?? defaultDb;
  const now = options.now ?? new Date();
  const row = await client.session.findUnique({
    where: { tokenHash: hashSessionToken(token) },
    select: {
      id: true,
      userId: true,
      expiresAt: true,
      user: { select: { id: true, discordUserId: true, name: true, avatar: true } },
    },
  });
  if (!row || row.expiresAt <= now) return null;
  const result: ResolvedSession = {
    user: row.user,
    session: { id: row.id, userId: row.userId, expiresAt: row.expiresAt },
  };
  if (options.renew !== false && row.expiresAt.getTime() - now.getTime() < RENEW_WHEN_LEFT_MS) {
    const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
    // Conditional on the row still existing: a concurrent logout wins.
    const { count } = await client.session.updateMany({
      where: { id: row.id },
      data: { expiresAt, lastSeenAt: now },
    });
    if (count === 0) return null;
    result.session.expiresAt = expiresAt;
    result.renewedCookie = sessionCookie(token, expiresAt);
  }
  return result;
}

export type GetSessionOptions = { request?: Request };

/**
 * The signed-in user. Route handlers pass their Request (the Cookie header is read from it); server components
 * call it without arguments and the cookie comes from next/headers.
 */
export async function getSession(options: GetSessionOptions = {}): Promise<ResolvedSession | null> {
  if (options.request) return resolveSession({ token: sessionTokenFromRequest(options.request) });
  const { cookies } = await import("next/headers");
  const store = await cookies();
  // A server component cannot set cookies: renewing here would extend the row but not the browser's cookie.
  return resolveSession({ token: store.get(SESSION_COOKIE)?.value, renew: false });
}

export type DeleteSessionOptions = { token: string | undefined; db?: Db };

/** Ends the session of this token (logout). Returns whether one was deleted. */
export async function deleteSession(options: DeleteSessionOptions): Promise<boolean> {
  if (!options.token) return false;
  const client = options.db ?? defaultDb;
  const { count } = await client.session.deleteMany({ where: { tokenHash: hashSessionToken(options.token) } });
  return count > 0;
}

export type DeleteAllSessionsOptions = { userId: string; db?: Db | Tx };

/** "Sign out everywhere": deletes every session of the user. Returns how many were ended. */
export async function deleteAllSessions(options: DeleteAllSessionsOptions): Promise<number> {
  const client = options.db ?? defaultDb;
  const { count } = await client.session.deleteMany({ where: { userId: options.userId } });
  return count;
}

export type SignOutEverywhereOptions = { userId: string; ip?: string | null; db?: Db };

/** Deletes every session of the user and records it. Returns how many sessions ended. */
export async function signOutEverywhere(options: SignOutEverywhereOptions): Promise<number> {
  const client = options.db ?? defaultDb;
  return client.$transaction(async (tx) => {
    const count = await deleteAllSessions({ userId: options.userId, db: tx });
    await recordAudit({
      db: tx,
      organizationId: null,
      actor: { userId: options.userId },
      action: "auth.sign_out_everywhere",
      targetType: "user",
      targetId: options.userId,
      outcome: "SUCCESS",
      metadata: { sessions: count },
      ip: options.ip,
    });
    return count;
  });
}
