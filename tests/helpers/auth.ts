// Test helpers for signed-in users, organizations and memberships. Everything goes through the real database and
// the real session code, so a test's Cookie header is exactly what a browser would send.
import type { MemberRole } from "@/generated/prisma/enums";
import { db } from "@/lib/db";
import { createSession, SESSION_COOKIE } from "@/lib/security/session";

const DISCORD_EPOCH = 1_420_070_400_000n;
let sequence = 0n;

/** A valid, unique Discord snowflake (timestamp an hour ago, so it passes "not in the future" checks). */
export function testSnowflake(): string {
  sequence = (sequence + 1n) % 4096n;
  const ms = BigInt(Date.now() - 3_600_000) - DISCORD_EPOCH;
  return ((ms << 22n) | (BigInt(process.pid % 1024) << 12n) | sequence).toString();
}

export type CreateUserWithSessionOptions = { discordUserId?: string; name?: string };

/** A user and a live session; `cookie` is a Cookie header value for Requests. */
export async function createUserWithSession(options: CreateUserWithSessionOptions = {}) {
  const user = await db.user.create({
    data: { discordUserId: options.discordUserId ?? testSnowflake(), name: options.name ?? "Test Admin" },
  });
  const session = await createSession({ userId: user.id });
  return { user, cookie: `${SESSION_COOKIE}=${session.token}`, token: session.token };
}

export type AddMemberOptions = { userId: string; organizationId: string; role: MemberRole };

export async function addMember(options: AddMemberOptions) {
  return db.membership.create({ data: options });
}

let orgSequence = 0;

export type CreateTestOrganizationOptions = { slug?: string; name?: string };

export async function createTestOrganization(options: CreateTestOrganizationOptions = {}) {
  orgSequence += 1;
  const slug = options.slug ?? `org-${process.pid}-${orgSequence}`;
  return db.organization.create({ data: { slug, name: options.name ?? `Org ${orgSequence}` } });
}

/** An organization with a signed-in member of the given role. */
export async function createOrgWithMember(role: MemberRole = "OWNER", options: CreateTestOrganizationOptions = {}) {
  const organization = await createTestOrganization(options);
  const { user, cookie, token } = await createUserWithSession();
  await addMember({ userId: user.id, organizationId: organization.id, role });
  return { organization, user, cookie, token };
}

export const TEST_ORIGIN = "http://localhost:3000";

export type ApiRequestOptions = { cookie?: string; body?: unknown; headers?: Record<string, string> };

/** A Request as the dashboard sends it: same-origin, with the session cookie and a JSON body when given. */
export function dashboardRequest(method: string, path: string, options: ApiRequestOptions = {}): Request {
  const headers: Record<string, string> = { origin: TEST_ORIGIN, ...options.headers };
  if (options.cookie) headers.cookie = options.cookie;
  let body: string | undefined;
  if (options.body !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(options.body);
  }
  return new Request(new URL(path, TEST_ORIGIN), { method, headers, body });
}

/** The second argument Next passes to route handlers. */
export function paramsOf<P>(params: P): { params: Promise<P> } {
  return { params: Promise.resolve(params) };
}
