// The one place that decides whether an error means "the database is unreachable right now" (an outage: 503 with
// Retry-After, a friendly page, a worker that waits) rather than a bug (500). Only stable codes are read: Prisma's
// P-codes, the pg driver adapter's error kinds, SQLSTATEs and Node's socket error codes. Never messages, which
// vary by version and locale (and can quote the host).
import { AppError, isAppError } from "./app-error";
import { SERVICE_UNAVAILABLE_DIGEST } from "./outage-digest";

export { SERVICE_UNAVAILABLE_DIGEST };

/** Prisma codes for a server that cannot be reached, timed out or went away, and pool exhaustion. */
const PRISMA_CODES = new Set(["P1001", "P1002", "P1008", "P1017", "P2024"]);

/** @prisma/adapter-pg error kinds (meta.driverAdapterError.cause.kind) that mean the connection failed. */
const ADAPTER_KINDS = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout", "TooManyConnections"]);

/** Node socket errors on the way to the server. */
const SOCKET_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EPIPE",
]);

/**
 * SQLSTATEs of an outage: class 08 (connection exception), 57P01-57P03 (admin shutdown, crash shutdown, cannot
 * connect now: the server is stopping or starting), 53300 (too many connections).
 */
function isOutageSqlState(code: string): boolean {
  return /^08[0-9A-Z]{3}$/.test(code) || code === "57P01" || code === "57P02" || code === "57P03" || code === "53300";
}

function field(value: unknown, key: string): unknown {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

function codeIsOutage(code: unknown): boolean {
  if (typeof code !== "string") return false;
  return PRISMA_CODES.has(code) || SOCKET_CODES.has(code) || isOutageSqlState(code);
}

/** The driver adapter's error, as Prisma attaches it to `meta` (or a DriverAdapterError's own `cause`). */
function adapterCauseIsOutage(cause: unknown): boolean {
  const kind = field(cause, "kind");
  if (typeof kind === "string" && ADAPTER_KINDS.has(kind)) return true;
  // An unmapped PostgreSQL error keeps its SQLSTATE: kind "postgres" with `code`, or `originalCode`.
  return (kind === "postgres" && codeIsOutage(field(cause, "code"))) || codeIsOutage(field(cause, "originalCode"));
}

/** True when the error (or anything in its cause chain) says the database could not be reached or went away. */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (depth > 8 || typeof error !== "object" || error === null) return false;
  // Our own typed errors already say what they are (a Discord network failure's cause may be an ECONNRESET too);
  // by brand and code, which hold across module copies (DatabaseUnavailableError is service_unavailable).
  if (isAppError(error)) return error.code === "service_unavailable";
  if (codeIsOutage(field(error, "code")) || codeIsOutage(field(error, "errorCode"))) return true;
  // A driver adapter error's mapped cause ({ kind, ... }), found on Prisma's `meta` or as a cause in the chain.
  if (adapterCauseIsOutage(error)) return true;
  if (adapterCauseIsOutage(field(field(field(error, "meta"), "driverAdapterError"), "cause"))) return true;
  if (error instanceof AggregateError && error.errors.some((e) => isDatabaseUnavailable(e, depth + 1))) return true;
  return isDatabaseUnavailable(field(error, "cause"), depth + 1);
}

/** Seconds a client is asked to wait before retrying during an outage. */
export const OUTAGE_RETRY_AFTER_SECONDS = 5;

/**
 * An outage as the typed error callers see: 503 `service_unavailable` with Retry-After. Server components cannot
 * pass a message to the browser in production (React replaces it), but Next keeps an error's own `digest`: the
 * error page (src/app/error.tsx) recognises an outage by it.
 */
export class DatabaseUnavailableError extends AppError {
  readonly digest = SERVICE_UNAVAILABLE_DIGEST;
  /** The original error's code (P1001, ECONNREFUSED, 57P01...) for logs; the error itself is not kept as `cause`:
   * Next prints a page error's cause chain, and a driver's message names the database host and port. */
  readonly causeCode?: string;

  constructor(options: { causeCode?: string } = {}) {
    super("service_unavailable", "The service is temporarily unavailable. Try again in a few seconds.", {
      retryAfter: OUTAGE_RETRY_AFTER_SECONDS,
    });
    this.causeCode = options.causeCode;
  }
}

/** The typed outage error for a connection failure; any other error unchanged. */
export function asServiceUnavailable(error: unknown): unknown {
  if ((isAppError(error) && error.code === "service_unavailable") || !isDatabaseUnavailable(error)) return error;
  const code = field(error, "code");
  return new DatabaseUnavailableError({ causeCode: typeof code === "string" ? code : undefined });
}

/** Runs a page's data access; a database outage surfaces as DatabaseUnavailableError (the friendly page). */
export async function withOutagePage<T>(load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    throw asServiceUnavailable(error);
  }
}
