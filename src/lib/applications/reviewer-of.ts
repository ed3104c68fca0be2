import type { OrgContext } from "@/lib/security/guard";
import { AppError } from "@/lib/errors/app-error";

/** Review actions are taken by people: the signed-in member's user id. */
export function reviewerOf(ctx: OrgContext): string {
  if (ctx.actor.kind !== "user") throw new AppError("forbidden", "Reviews are made by signed-in members.");
  return ctx.actor.userId;
}
