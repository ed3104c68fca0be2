// The request limits of the routes anyone can reach or that create things (settings in src/lib/env.ts, README
// "Security"), on the shared limiter: sign-in and apply per client address, organization creation per user, bot
// health and role-list reads from Discord per organization. A request whose address is unknown (no trusted proxy
// says who the client is: TRUSTED_PROXY_HOPS=0) counts in one shared "unknown address" bucket ten times as large.
import { env } from "@/lib/env";
import { createRateLimiter, type RateLimiter } from "./limiter";

const TEN_MINUTES = 600;
const UNKNOWN_ADDRESS_FACTOR = 10;

type AddressLimit = { known: RateLimiter; unknown: RateLimiter };

type Limits = {
  signIn: AddressLimit;
  apply: AddressLimit;
  organizationCreate: RateLimiter;
  botReads: RateLimiter;
};

let limits: Limits | undefined;

function addressLimit(name: string, points: number, message: string): AddressLimit {
  const options = { durationSeconds: TEN_MINUTES, scope: "address" as const, message };
  return {
    known: createRateLimiter({ ...options, name, points }),
    unknown: createRateLimiter({ ...options, name: `${name}-unknown`, points: points * UNKNOWN_ADDRESS_FACTOR }),
  };
}

function current(): Limits {
  limits ??= {
    signIn: addressLimit(
      "sign-in-address",
      env.RATE_LIMIT_SIGN_IN_PER_ADDRESS,
      "Too many sign-in attempts from your address.",
    ),
    apply: addressLimit(
      "apply-address",
      env.RATE_LIMIT_APPLY_PER_ADDRESS,
      "Too many applications sent from your address.",
    ),
    organizationCreate: createRateLimiter({
      name: "org-create-user",
      points: env.RATE_LIMIT_ORG_CREATE_PER_USER,
      durationSeconds: 24 * 60 * 60,
      scope: "user",
      message: "You have created as many organizations as one person may in a day.",
    }),
    botReads: createRateLimiter({
      name: "bot-reads-org",
      points: env.RATE_LIMIT_BOT_READS_PER_ORG,
      durationSeconds: TEN_MINUTES,
      scope: "organization",
      message: "This organization has asked Discord about its bot too often.",
    }),
  };
  return limits;
}

function consumeAddress(limit: AddressLimit, address: string | null): Promise<unknown> {
  return address ? limit.known.consume(address) : limit.unknown.consume("unknown");
}

/** One admin or applicant sign-in step (start or callback) from `address`; throws RateLimitedError (429). */
export function limitSignIn(address: string | null): Promise<unknown> {
  return consumeAddress(current().signIn, address);
}

/** One public application submission from `address`. */
export function limitApply(address: string | null): Promise<unknown> {
  return consumeAddress(current().apply, address);
}

/** One organization created by `userId`. */
export function limitOrganizationCreate(userId: string): Promise<unknown> {
  return current().organizationCreate.consume(userId);
}

/** One uncached read of the organization's bot and guild from Discord (health, role list). */
export function limitBotReads(organizationId: string): Promise<unknown> {
  return current().botReads.consume(organizationId);
}

/** Tests: rebuild from the (changed) environment. */
export function resetRequestLimits(): void {
  limits = undefined;
}
