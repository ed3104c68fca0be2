// Admin sign-in: the Discord OAuth leg shared with applicants (src/lib/security/discord-oauth.ts, purpose "login"),
// then the admin's User row, a dashboard session and an audit row.
import { recordAudit } from "@/lib/audit/record-audit";
import { db as defaultDb, type Db } from "@/lib/db";
import { readCookie } from "@/lib/security/cookies";
import {
  ADMIN_SIGN_IN,
  clearedSignInCookie,
  completeDiscordSignIn,
  signInRedirectUri,
  startDiscordSignIn,
} from "@/lib/security/discord-oauth";
import { createSession, deleteSession, SESSION_COOKIE } from "@/lib/security/session";

export { SignInError, isSignInError, type SignInErrorCode } from "@/lib/security/discord-oauth";
export const DEFAULT_AFTER_SIGN_IN = "/dashboard";

/** Only same-site paths: "/dashboard/x" yes; "//evil.example", "https://...", "/\\evil" no. */
export function safeNextPath(next: string | null | undefined): string | undefined {
  if (!next || next.length > 512 || !next.startsWith("/") || next.startsWith("//") || next.includes("\\"))
    return undefined;
  if (/[\u0000-\u001f]/.test(next)) return undefined;
  return next;
}

export const loginRedirectUri = () => signInRedirectUri(ADMIN_SIGN_IN);

export type StartSignInOptions = { next?: string | null };
export type StartedSignIn = { authorizeUrl: string; cookie: string };

export async function startSignIn(options: StartSignInOptions = {}): Promise<StartedSignIn> {
  return startDiscordSignIn(ADMIN_SIGN_IN, { redirectTo: safeNextPath(options.next) });
}

export type CompleteSignInOptions = {
  /** The callback's query parameters. */
  query: URLSearchParams;
  cookieHeader: string | null;
  userAgent?: string | null;
  ip?: string | null;
  db?: Db;
};

export type CompletedSignIn = { sessionCookie: string; redirectTo: string; userId: string };

/** The cookie that removes the PKCE cookie; send it with every callback answer. */
export const clearedLoginCookie = () => clearedSignInCookie(ADMIN_SIGN_IN);

export async function completeSignIn(options: CompleteSignInOptions): Promise<CompletedSignIn> {
  const { profile, redirectTo } = await completeDiscordSignIn(ADMIN_SIGN_IN, options);
  const client = options.db ?? defaultDb;
  const user = await client.user.upsert({
    where: { discordUserId: profile.id },
    update: { name: profile.name, avatar: profile.avatar },
    create: { discordUserId: profile.id, name: profile.name, avatar: profile.avatar },
  });
  // A sign-in replaces whatever session this browser had (no session fixation, no orphaned row).
  await deleteSession({ token: readCookie(options.cookieHeader, SESSION_COOKIE), db: client });
  const session = await createSession({ userId: user.id, userAgent: options.userAgent, ip: options.ip, db: client });
  await recordAudit({
    db: client,
    organizationId: null,
    actor: { userId: user.id },
    action: "auth.sign_in",
    targetType: "user",
    targetId: user.id,
    outcome: "SUCCESS",
    ip: options.ip,
  });
  return {
    sessionCookie: session.cookie,
    redirectTo: safeNextPath(redirectTo) ?? DEFAULT_AFTER_SIGN_IN,
    userId: user.id,
  };
}
