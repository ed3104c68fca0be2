// Applicants are identities of their own (Applicant rows, by Discord id), never dashboard users: their session is a
// random token in the gg_applicant cookie (only its SHA-256 is stored in ApplicantSession), scoped to the apply
// pages' needs, and ends by signing out (the row is deleted) or after 30 days.
import { db } from "@/lib/db";
import { buildCookie, clearedCookie, readCookie } from "@/lib/security/cookies";
import { hashSessionToken, isSessionTokenShape, newSessionToken } from "@/lib/security/session-token";

export const APPLICANT_COOKIE = "gg_applicant";
export const APPLICANT_SESSION_TTL_S = 30 * 24 * 60 * 60;

export type Applicant = { id: string; discordUserId: string; name: string };

export const clearedApplicantCookie = () => clearedCookie(APPLICANT_COOKIE);

export type StartApplicantSessionOptions = { discordUserId: string; name: string };

/** After a proven Discord sign-in: the applicant row (created or renamed) and a new session; returns its cookie. */
export async function startApplicantSession(
  options: StartApplicantSessionOptions,
): Promise<{ applicant: Applicant; cookie: string }> {
  const { token, tokenHash } = newSessionToken();
  const expiresAt = new Date(Date.now() + APPLICANT_SESSION_TTL_S * 1000);
  const applicant = await db.$transaction(async (tx) => {
    const row = await tx.applicant.upsert({
      where: { discordUserId: options.discordUserId },
      create: { discordUserId: options.discordUserId, name: options.name },
      update: { name: options.name, lastSignInAt: new Date() },
    });
    await tx.applicantSession.create({ data: { applicantId: row.id, tokenHash, expiresAt } });
    return row;
  });
  return {
    applicant: { id: applicant.id, discordUserId: applicant.discordUserId, name: applicant.name },
    cookie: buildCookie({ name: APPLICANT_COOKIE, value: token, maxAgeSeconds: APPLICANT_SESSION_TTL_S }),
  };
}

/** The applicant of a session token, or null when absent, unknown, expired or signed out. */
export async function readApplicant(token: string | undefined | null): Promise<Applicant | null> {
  if (!isSessionTokenShape(token)) return null;
  const session = await db.applicantSession.findUnique({
    where: { tokenHash: hashSessionToken(token) },
    select: { expiresAt: true, applicant: { select: { id: true, discordUserId: true, name: true } } },
  });
  if (!session || session.expiresAt <= new Date()) return null;
  return session.applicant;
}

/** Signs out: the session row goes, so the token is worthless even if the cookie survives somewhere. */
export async function endApplicantSession(token: string | undefined | null): Promise<void> {
  if (!isSessionTokenShape(token)) return;
  await db.applicantSession.deleteMany({ where: { tokenHash: hashSessionToken(token) } });
}

export function applicantTokenFromRequest(request: Request): string | undefined {
  return readCookie(request.headers.get("cookie"), APPLICANT_COOKIE);
}
