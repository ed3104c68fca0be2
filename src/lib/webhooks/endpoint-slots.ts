// At most N deliveries in flight per endpoint, across processes: an attempt holds one of its endpoint's N slots
// (rows keyed by endpoint and slot number) while it posts, so one slow or hostile receiver cannot take every slot of
// the delivery runner. A slot is a lease: a process that dies mid-request frees it when the lease ends.
// A delivery that finds every slot taken is not an attempt: its job comes back at the earliest lease end, and each
// release wakes the endpoint's oldest waiting delivery at once, so a busy but healthy endpoint drains at its pace
// without its waiting jobs polling.
import { Prisma } from "@/generated/prisma/client";
import { db } from "@/lib/db";
import { ensureJobSchema } from "@/lib/jobs/migrate";
import { webhookJobKey } from "./outbox";

/** A lease outlives its attempt's POST timeout by this much: DNS, signing and recording the outcome. */
export const SLOT_LEASE_MARGIN_MS = 5_000;
/** A waiting delivery never comes back sooner than this (a lease that just ended is being taken by another). */
const MIN_WAIT_MS = 250;

export type AcquireEndpointSlotOptions = {
  endpointId: string;
  deliveryId: string;
  /** Slots per endpoint (settings.maxInFlightPerEndpoint). */
  limit: number;
  /** The attempt's POST timeout; the lease is this plus SLOT_LEASE_MARGIN_MS. */
  timeoutMs: number;
};

export type EndpointSlotClaim = { slot: number } | { slot: null; retryAt: Date };

/**
 * Takes a free slot of the endpoint (or one whose lease ended, or one this delivery already holds after a crash), in
 * one statement; two deliveries racing for the same slot serialise on its row and the loser gets none.
 */
export async function acquireEndpointSlot(options: AcquireEndpointSlotOptions): Promise<EndpointSlotClaim> {
  const { endpointId, deliveryId } = options;
  const lease = `${Math.round(options.timeoutMs + SLOT_LEASE_MARGIN_MS)} milliseconds`;
  const claimed = await db.$queryRaw<{ slot: number }[]>(Prisma.sql`
    WITH free AS (
      SELECT s.n FROM generate_series(0, ${Math.max(1, options.limit) - 1}::int) AS s(n)
      WHERE NOT EXISTS (
        SELECT 1 FROM "WebhookEndpointSlot" h
        WHERE h."endpointId" = ${endpointId}::uuid AND h."slot" = s.n
          AND h."leaseUntil" > now() AND h."deliveryId" <> ${deliveryId}::uuid)
      ORDER BY s.n LIMIT 1)
    INSERT INTO "WebhookEndpointSlot" ("endpointId", "slot", "deliveryId", "leaseUntil")
    SELECT ${endpointId}::uuid, free.n, ${deliveryId}::uuid, now() + ${lease}::interval FROM free
    ON CONFLICT ("endpointId", "slot") DO UPDATE
      SET "deliveryId" = excluded."deliveryId", "leaseUntil" = excluded."leaseUntil"
      WHERE "WebhookEndpointSlot"."leaseUntil" <= now() OR "WebhookEndpointSlot"."deliveryId" = excluded."deliveryId"
    RETURNING "slot"`);
  if (claimed[0]) return { slot: claimed[0].slot };
  const [held] = await db.$queryRaw<{ until: Date | null }[]>`
    SELECT min("leaseUntil") AS until FROM "WebhookEndpointSlot" WHERE "endpointId" = ${endpointId}::uuid`;
  const soonest = Date.now() + MIN_WAIT_MS;
  return { slot: null, retryAt: new Date(Math.max(soonest, held?.until?.getTime() ?? soonest)) };
}

export type ReleaseEndpointSlotOptions = { endpointId: string; deliveryId: string };

/**
 * Frees the delivery's slot and, in the same statement, brings forward the job of the endpoint's oldest delivery
 * waiting for one (due, its job unlocked and scheduled later), with the notification graphile-worker's runners listen
 * for. A waiter that rescheduled itself just after this release is not woken: it comes back at the lease end.
 */
export async function releaseEndpointSlot(options: ReleaseEndpointSlotOptions): Promise<void> {
  const { endpointId, deliveryId } = options;
  await ensureJobSchema();
  // The row count is all we need back (pg_notify returns void).
  await db.$executeRaw(Prisma.sql`
    WITH released AS (
      DELETE FROM "WebhookEndpointSlot"
      WHERE "endpointId" = ${endpointId}::uuid AND "deliveryId" = ${deliveryId}::uuid
      RETURNING "slot"
    ), waiting AS (
      SELECT j.id FROM "WebhookDelivery" d
      JOIN graphile_worker._private_jobs j ON j.key = ${webhookJobKey.sql(Prisma.sql`d.id::text`)}
      WHERE EXISTS (SELECT 1 FROM released)
        AND d."endpointId" = ${endpointId}::uuid AND d.status = 'PENDING' AND d."nextAttemptAt" <= now()
        AND d.id <> ${deliveryId}::uuid AND j.locked_at IS NULL AND j.run_at > now()
      ORDER BY d."nextAttemptAt" LIMIT 1
      FOR UPDATE OF j SKIP LOCKED
    ), woken AS (
      UPDATE graphile_worker._private_jobs j SET run_at = now() FROM waiting WHERE j.id = waiting.id RETURNING j.id
    )
    SELECT pg_notify('jobs:insert', '{"count":1}') FROM woken`);
}
