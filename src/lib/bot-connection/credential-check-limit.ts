// Checking a bot token costs a Discord call, and each 401 counts against the process-wide invalid-request budget
// (invalid-requests.ts) that every tenant shares. So each organization may make a few checks per window. Every
// check leaves an audit row, and the count is taken from those rows under a per-organization advisory lock, so the
// limit holds across concurrent requests and across instances.
import { recordAudit, type AuditActor } from "@/lib/audit/record-audit";
import { db as defaultDb, type Db } from "@/lib/db";
import { AppError } from "@/lib/errors/app-error";

export const CREDENTIAL_CHECK_LIMIT = 5;
export const CREDENTIAL_CHECK_WINDOW_MS = 10 * 60_000;
export const CREDENTIAL_CHECK_ACTION = "bot.token_check";

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
  const { organizationId } = options;
  await client.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`guildgate:credential-check:${organizationId}`}, 0))::text`;
    const now = Date.now();
    const recent = await tx.auditEvent.findMany({
      where: { organizationId, action: CREDENTIAL_CHECK_ACTION, createdAt: { gt: new Date(now - CREDENTIAL_CHECK_WINDOW_MS) } },
      orderBy: { createdAt: "asc" },
      select: { createdAt: true },
      take: CREDENTIAL_CHECK_LIMIT,
    });
    if (recent.length >= CREDENTIAL_CHECK_LIMIT) {
      const retryAfter = Math.max(1, Math.ceil((recent[0]!.createdAt.getTime() + CREDENTIAL_CHECK_WINDOW_MS - now) / 1000));
      throw new AppError("rate_limited", `Too many bot token checks. Try again in ${Math.ceil(retryAfter / 60)} minute(s).`, { retryAfter });
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
  });
}
