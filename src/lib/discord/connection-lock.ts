// The bot-connection lock: one row per organization (DiscordConnection) whose CONNECTING state, stamped with a
// random lock token, says "a callback is connecting this organization". Acquiring is one conditional statement,
// so of any number of concurrent callbacks exactly one wins; a holder that died is taken over once its row has not
// been touched for `staleAfterMs` (2 minutes). Heartbeat and release touch the row only while it still carries our
// token, so a callback that lost its lock to a takeover can never overwrite the new holder's work.
import { randomBytes } from "node:crypto";
import { db as defaultDb, type Db, type Tx } from "@/lib/db";

export const LOCK_STALE_AFTER_MS = 2 * 60 * 1000;

export type LockRefusal = "connection_in_progress" | "already_connected";
export type AcquireResult = { acquired: true } | { acquired: false; reason: LockRefusal };

export type DiscordConnectionLockOptions = { db?: Db; staleAfterMs?: number };

export class DiscordConnectionLock {
  readonly lockToken = randomBytes(16).toString("hex");
  private readonly db: Db;
  private readonly staleAfterMs: number;
  private held = false;

  constructor(
    readonly organizationId: string,
    options: DiscordConnectionLockOptions = {},
  ) {
    this.db = options.db ?? defaultDb;
    this.staleAfterMs = options.staleAfterMs ?? LOCK_STALE_AFTER_MS;
  }

  get isHeld(): boolean {
    return this.held;
  }

  /**
   * Takes the lock unless another callback holds a fresh one (`connection_in_progress`) or the organization is
   * already CONNECTED and must disconnect first (`already_connected`). Time comes from the database clock, so
   * instances with skewed clocks agree on staleness.
   */
  async acquire(): Promise<AcquireResult> {
    const rows = await this.db.$queryRaw<{ id: string }[]>`
      INSERT INTO "DiscordConnection" ("organizationId", "state", "stateUpdatedAt", "lockToken", "connectionError", "createdAt", "updatedAt")
      VALUES (${this.organizationId}::uuid, 'CONNECTING', clock_timestamp(), ${this.lockToken}, NULL, clock_timestamp(), clock_timestamp())
      ON CONFLICT ("organizationId") DO UPDATE SET
        "state" = 'CONNECTING',
        "stateUpdatedAt" = clock_timestamp(),
        "lockToken" = EXCLUDED."lockToken",
        "connectionError" = NULL,
        "updatedAt" = clock_timestamp()
      WHERE "DiscordConnection"."state" IN ('DISCONNECTED', 'ERROR')
         OR ("DiscordConnection"."state" = 'CONNECTING'
             AND "DiscordConnection"."stateUpdatedAt" < clock_timestamp() - make_interval(secs => ${this.staleAfterMs / 1000}))
      RETURNING "id"::text AS "id"`;
    if (rows.length === 1) {
      this.held = true;
      return { acquired: true };
    }
    // Lost: read why, only to pick the message (the decision above was atomic).
    const current = await this.db.discordConnection.findUnique({
      where: { organizationId: this.organizationId },
      select: { state: true },
    });
    return { acquired: false, reason: current?.state === "CONNECTED" ? "already_connected" : "connection_in_progress" };
  }

  /** Keeps a slow holder's lock fresh. False when the lock is no longer ours (taken over or released). */
  async heartbeat(): Promise<boolean> {
    if (!this.held) return false;
    const count = await this.db.$executeRaw`
      UPDATE "DiscordConnection" SET "stateUpdatedAt" = clock_timestamp(), "updatedAt" = clock_timestamp()
      WHERE "organizationId" = ${this.organizationId}::uuid AND "lockToken" = ${this.lockToken} AND "state" = 'CONNECTING'`;
    if (count === 0) this.held = false;
    return count === 1;
  }

  /**
   * Ends the attempt: CONNECTED on success, ERROR with a reason code otherwise (so a retry can start at once).
   * Pass `tx` to release in the transaction that saved the connection. False when the lock was no longer ours.
   */
  async release(success: boolean, error?: string, tx?: Tx): Promise<boolean> {
    if (!this.held) return false;
    const client = tx ?? this.db;
    const state = success ? "CONNECTED" : "ERROR";
    const reason = success ? null : (error ?? "unknown_error").slice(0, 200);
    const count = await client.$executeRaw`
      UPDATE "DiscordConnection"
      SET "state" = ${state}::"ConnectionState", "connectionError" = ${reason}, "lockToken" = NULL,
          "stateUpdatedAt" = clock_timestamp(), "updatedAt" = clock_timestamp()
      WHERE "organizationId" = ${this.organizationId}::uuid AND "lockToken" = ${this.lockToken} AND "state" = 'CONNECTING'`;
    // Inside a transaction the caller may still roll back: keep the lock "held" so a failure path can release it
    // as ERROR (a no-op once the commit made it CONNECTED).
    if (!tx) this.held = false;
    return count === 1;
  }
}
