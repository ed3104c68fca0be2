// Discord's member-role limit per guild, planned ahead instead of discovered through 429s (as Guild.xyz's queue
// does): one row per guild holds the latest window of role calls reserved and how many it holds. A job reserves
// its slot in one atomic upsert, so any number of workers and processes share one plan; a job whose slot is later
// waits for it without spending an attempt.
import { Prisma } from "@/generated/prisma/client";
import type { Db, Tx } from "@/lib/db";
import { db as defaultDb } from "@/lib/db";

export type MemberRoleLimit = {
  /** Role calls per window and guild (the sandbox and Discord: 10 per 10 s). */
  limit: number;
  windowMs: number;
  /** Added to each window, so a window we plan never starts before Discord's previous one has reset. */
  marginMs: number;
};

export type ReserveGuildSlotOptions = { db?: Db | Tx; guildId: string; limit: MemberRoleLimit };

/**
 * The reservation as SQL: `INSERT INTO "GuildRoleSchedule" AS s ("guildId", "windowStart", used) <source>` followed
 * by this, where the source yields (guildId, now(), 1). Windows are fixed like Discord's buckets: the first call
 * opens one, `limit` calls fill it, the next call opens the window after it. Returns the slot as `slot`.
 */
export function guildSlotUpsertSql(limit: MemberRoleLimit): Prisma.Sql {
  const span = `${Math.round(limit.windowMs + limit.marginMs)} milliseconds`;
  return Prisma.sql`
    ON CONFLICT ("guildId") DO UPDATE SET
      "windowStart" = CASE
        WHEN s."windowStart" + ${span}::interval <= now() THEN now()
        WHEN s.used < ${limit.limit} THEN s."windowStart"
        ELSE s."windowStart" + ${span}::interval END,
      used = CASE
        WHEN s."windowStart" + ${span}::interval <= now() THEN 1
        WHEN s.used < ${limit.limit} THEN s.used + 1
        ELSE 1 END
    RETURNING GREATEST(s."windowStart", now()) AS slot`;
}

/** Reserves the next free slot for one role call in `guildId` and returns when it may be made (now, or later). */
export async function reserveGuildSlot(options: ReserveGuildSlotOptions): Promise<Date> {
  const rows = await (options.db ?? defaultDb).$queryRaw<{ slot: Date }[]>(Prisma.sql`
    INSERT INTO "GuildRoleSchedule" AS s ("guildId", "windowStart", used)
    VALUES (${options.guildId}, now(), 1)
    ${guildSlotUpsertSql(options.limit)}`);
  return rows[0]!.slot;
}

export type PushGuildScheduleOptions = { db?: Db | Tx; guildId: string; notBefore: Date };

/**
 * Discord (or our client, refusing locally) said to wait: no call for this guild is planned before `notBefore`.
 * Slots already handed out stay theirs; their jobs meet the same wait and come back here.
 */
export async function pushGuildSchedule(options: PushGuildScheduleOptions): Promise<void> {
  await (options.db ?? defaultDb).$executeRaw`
    INSERT INTO "GuildRoleSchedule" AS s ("guildId", "windowStart", used)
    VALUES (${options.guildId}, ${options.notBefore}, 0)
    ON CONFLICT ("guildId") DO UPDATE SET "windowStart" = EXCLUDED."windowStart", used = 0
    WHERE s."windowStart" < EXCLUDED."windowStart"`;
}
