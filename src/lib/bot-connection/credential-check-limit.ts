// Checking a bot token costs a Discord call, and each 401 counts against the process-wide invalid-request budget
// (invalid-requests.ts) that every tenant shares. So each organization may make a few checks per window. Every
// check leaves an audit row, and the count is taken from those rows under a per-organization advisory lock, so the
// limit holds across concurrent requests and across instances. Waiting for the lock is bounded (lock_timeout) well
// inside the transaction's own timeout: 16 queued checks used to outlast Prisma's default 5 s transaction timeout
// (P2028) and answer 500; now a wait that runs out, or a transaction that still times out, is a 503 with Retry-After.
import { Prisma } from "@/generated/prisma/client";
import { recordAudit, type AuditActor } from "@/lib/audit/record-audit";
import { db as defaultDb, type Db } from "@/lib/db";
import { AppError } from "@/lib/errors/app-error";

export const CREDENTIAL_CHECK_LIMIT = 5;
export const CREDENTIAL_CHECK_WINDOW_MS = 10 * 60_000;
export const CREDENTIAL_CHECK_ACTION = "bot.token_check";
const TRANSACTION = { maxWait: 5_000, timeout: 15_000 } as const;
const LOCK_TIMEOUT = "5s";

export type ReserveCredentialCheckOptions = {
  organizationId: string;
  actor: AuditActor;
  applicationId: string;
  ip?: string | null;
  db?: Db;
};

/** Records one bot-token check, or throws 429 `rate_limited` (with Retry-After) when the window's checks are used up. */
export async function reserveCredentialCheck(options: ReserveCredentialCheckOptions): Promise<void> {
  const client = options.db ?? defaultDb;
  try {
    await client.$transaction((tx) => reserveLocked(tx, options), TRANSACTION);
  } catch (error) {
    if (isBusy(error)) {
      throw new AppError("service_unavailable", "The server is busy; try the check again in a few seconds.", {
        retryAfter: 5,
        cause: error,
      });
    }
    throw error;
  }
}

/** P2028: no connection within maxWait or the transaction outlived its timeout; 55P03: lock_timeout ran out. */
function isBusy(error: unknown): boolean {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) return false;
  if (error.code === "P2028") return true;
  const meta = error.meta as
    { code?: unknown; driverAdapterError?: { cause?: { originalCode?: unknown } } } | undefined;
  return meta?.code === "55P03" || meta?.driverAdapterError?.cause?.originalCode === "55P03";
}

async function reserveLocked(tx: Prisma.TransactionClient, options: ReserveCredentialCheckOptions): Promise<void> {
  const { organizationId } = options;
  await tx.$executeRawUnsafe(`SET LOCAL lock_timeout = '${LOCK_TIMEOUT}'`);
  await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`guildgate:credential-check:${organizationId}`}, 0))::text`;
  const now = Date.now();
  const recent = await tx.auditEvent.findMany({
    where: {
      organizationId,
      action: CREDENTIAL_CHECK_ACTION,
      createdAt: { gt: new Date(now - CREDENTIAL_CHECK_WINDOW_MS) },
    },
    orderBy: { createdAt: "asc" },
    select: { createdAt: true },
    take: CREDENTIAL_CHECK_LIMIT,
  });
  if (recent.length >= CREDENTIAL_CHECK_LIMIT) {
    const retryAfter = Math.max(
      1,
      Math.ceil((recent[0]!.createdAt.getTime() + CREDENTIAL_CHECK_WINDOW_MS - now) / 1000),
    );
    throw new AppError(
      "rate_limited",
      `Too many bot token checks. Try again in ${Math.ceil(retryAfter / 60)} minute(s).`,
      { retryAfter },
    );
  }
  await recordAudit({
    db: tx,
    organizationId,
    actor: options.actor,
    action: CREDENTIAL_CHECK_ACTION,
    targetType: "application",
    targetId: options.applicationId,
    outcome: "SUCCESS",
    ip: options.ip,
  });
}
