// Organization members, addressed by Discord user id. Changes that touch OWNER rows need the `owners:manage`
// permission, and an organization always keeps at least one OWNER: every change locks the organization row first,
// so two concurrent removals of the last two owners cannot both succeed.
import { z } from "zod";
import type { MemberRole } from "@/generated/prisma/enums";
import { recordAudit } from "@/lib/audit/record-audit";
import { db as defaultDb, type Db, type Tx } from "@/lib/db";
import { snowflake } from "@/lib/discord/ids";
import { AppError, isAppError } from "@/lib/errors/app-error";
import { can } from "@/lib/security/authorize";
import { guildMemberName, placeholderName } from "./guild-member-name";

export const memberRole = z.enum(["OWNER", "ADMIN", "REVIEWER"]);
export const memberInput = z.object({ discordUserId: snowflake, role: memberRole });
export const removeMemberInput = z.object({ discordUserId: snowflake });

export type Member = {
  userId: string;
  discordUserId: string;
  name: string;
  avatar: string | null;
  role: MemberRole;
  since: Date;
};

/** Who is acting, as the guard resolved it. */
export type MemberActor = { userId: string; role: MemberRole };

type Scope = { organizationId: string; actor: MemberActor; ip?: string | null; db?: Db };

export type ListMembersOptions = { organizationId: string; db?: Db };

export async function listMembers(options: ListMembersOptions): Promise<Member[]> {
  const client = options.db ?? defaultDb;
  const rows = await client.membership.findMany({
    where: { organizationId: options.organizationId },
    select: {
      role: true,
      createdAt: true,
      user: { select: { id: true, discordUserId: true, name: true, avatar: true } },
    },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
  return rows.map((r) => ({
    userId: r.user.id,
    discordUserId: r.user.discordUserId,
    name: r.user.name,
    avatar: r.user.avatar,
    role: r.role,
    since: r.createdAt,
  }));
}

async function lockOrganization(tx: Tx, organizationId: string): Promise<void> {
  await tx.$queryRaw`SELECT 1 FROM "Organization" WHERE id = ${organizationId}::uuid FOR UPDATE`;
}

/** A refused owner-level change is a denial like the guard's: recorded (outside the rolled-back transaction). */
async function auditingDenials<T>(scope: Scope, action: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (isAppError(error) && error.code === "forbidden") {
      await recordAudit({
        db: scope.db ?? defaultDb,
        organizationId: scope.organizationId,
        actor: { userId: scope.actor.userId },
        action: "access.denied",
        outcome: "DENIED",
        metadata: { reason: "missing_permission", permission: "owners:manage", attempted: action },
        ip: scope.ip,
      });
    }
    throw error;
  }
}

function requireOwnerRights(actor: MemberActor, touchesOwner: boolean): void {
  if (touchesOwner && !can(actor.role, "owners:manage")) {
    throw new AppError("forbidden", "Only an owner can grant, change or remove the owner role.");
  }
}

async function countOwners(tx: Tx, organizationId: string): Promise<number> {
  return tx.membership.count({ where: { organizationId, role: "OWNER" } });
}

export type AddMemberOptions = Scope & { discordUserId: string; role: MemberRole };

/**
 * Adds a member by Discord user id. Someone who has never signed in gets a user named as the organization's guild
 * knows them (asked through its bot, before the transaction: no Discord call holds a lock), or a placeholder named
 * by the id; their first sign-in fills in the rest.
 */
export async function addMember(options: AddMemberOptions): Promise<Member> {
  const client = options.db ?? defaultDb;
  const known = await client.user.findUnique({
    where: { discordUserId: options.discordUserId },
    select: { name: true },
  });
  const needsName = !known || known.name === placeholderName(options.discordUserId);
  const guildName = needsName
    ? await guildMemberName({
        organizationId: options.organizationId,
        discordUserId: options.discordUserId,
        db: client,
      })
    : null;
  return auditingDenials(options, "member.add", () =>
    client.$transaction(async (tx) => {
      requireOwnerRights(options.actor, options.role === "OWNER");
      await lockOrganization(tx, options.organizationId);
      let user = await tx.user.upsert({
        where: { discordUserId: options.discordUserId },
        update: {},
        create: { discordUserId: options.discordUserId, name: guildName ?? placeholderName(options.discordUserId) },
      });
      // Only a placeholder is replaced: a name from the person's own sign-in (even one that just happened) wins.
      if (guildName && user.name === placeholderName(options.discordUserId)) {
        user = await tx.user.update({ where: { id: user.id }, data: { name: guildName } });
      }
      const existing = await tx.membership.findUnique({
        where: { userId_organizationId: { userId: user.id, organizationId: options.organizationId } },
      });
      if (existing) throw new AppError("already_exists", "This person is already a member.");
      const membership = await tx.membership.create({
        data: { userId: user.id, organizationId: options.organizationId, role: options.role },
      });
      await recordAudit({
        db: tx,
        organizationId: options.organizationId,
        actor: { userId: options.actor.userId },
        action: "member.add",
        targetType: "user",
        targetId: user.id,
        outcome: "SUCCESS",
        metadata: { discordUserId: options.discordUserId, role: options.role },
        ip: options.ip,
      });
      return {
        userId: user.id,
        discordUserId: user.discordUserId,
        name: user.name,
        avatar: user.avatar,
        role: membership.role,
        since: membership.createdAt,
      };
    }),
  );
}

async function findMembershipOrThrow(tx: Tx, organizationId: string, discordUserId: string) {
  const membership = await tx.membership.findFirst({
    where: { organizationId, user: { discordUserId } },
    select: { id: true, role: true, userId: true },
  });
  if (!membership) throw new AppError("not_found", "No member with this Discord user id.");
  return membership;
}

export type ChangeMemberRoleOptions = Scope & { discordUserId: string; role: MemberRole };

export async function changeMemberRole(options: ChangeMemberRoleOptions): Promise<void> {
  const client = options.db ?? defaultDb;
  await auditingDenials(options, "member.role_change", () =>
    client.$transaction(async (tx) => {
      await lockOrganization(tx, options.organizationId);
      const membership = await findMembershipOrThrow(tx, options.organizationId, options.discordUserId);
      if (membership.role === options.role) return;
      requireOwnerRights(options.actor, membership.role === "OWNER" || options.role === "OWNER");
      if (membership.role === "OWNER" && (await countOwners(tx, options.organizationId)) <= 1) {
        throw new AppError("last_owner", "An organization needs at least one owner. Make someone else an owner first.");
      }
      await tx.membership.update({ where: { id: membership.id }, data: { role: options.role } });
      await recordAudit({
        db: tx,
        organizationId: options.organizationId,
        actor: { userId: options.actor.userId },
        action: "member.role_change",
        targetType: "user",
        targetId: membership.userId,
        outcome: "SUCCESS",
        metadata: { discordUserId: options.discordUserId, from: membership.role, to: options.role },
        ip: options.ip,
      });
    }),
  );
}

export type RemoveMemberOptions = Scope & { discordUserId: string };

export async function removeMember(options: RemoveMemberOptions): Promise<void> {
  const client = options.db ?? defaultDb;
  await auditingDenials(options, "member.remove", () =>
    client.$transaction(async (tx) => {
      await lockOrganization(tx, options.organizationId);
      const membership = await findMembershipOrThrow(tx, options.organizationId, options.discordUserId);
      // Leaving yourself is allowed for any role; removing an owner otherwise needs owner rights.
      requireOwnerRights(options.actor, membership.role === "OWNER" && membership.userId !== options.actor.userId);
      if (membership.role === "OWNER" && (await countOwners(tx, options.organizationId)) <= 1) {
        throw new AppError("last_owner", "The last owner cannot be removed. Make someone else an owner first.");
      }
      await tx.membership.delete({ where: { id: membership.id } });
      await recordAudit({
        db: tx,
        organizationId: options.organizationId,
        actor: { userId: options.actor.userId },
        action: "member.remove",
        targetType: "user",
        targetId: membership.userId,
        outcome: "SUCCESS",
        metadata: { discordUserId: options.discordUserId, role: membership.role },
        ip: options.ip,
      });
    }),
  );
}
