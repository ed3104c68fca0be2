// The one shape of a session secret, for admins (Session) and applicants (ApplicantSession) alike: 32 random bytes
// as 43 base64url characters in the cookie, only their SHA-256 in the database, so a database leak yields no
// usable session. Anything not shaped like a token cannot match and costs no query.
import { createHash, randomBytes } from "node:crypto";

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export function hashSessionToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export function newSessionToken(): { token: string; tokenHash: string } {
  const token = randomBytes(32).toString("base64url");
  return { token, tokenHash: hashSessionToken(token) };
}

export function isSessionTokenShape(token: string | undefined | null): token is string {
  return typeof token === "string" && TOKEN_SHAPE.test(token);
}
