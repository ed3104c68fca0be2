// Dashboard management of an organization's API tokens: the token primitives (src/lib/security/api-tokens.ts)
// plus the audit row, committed together. The plaintext token leaves only in createApiToken's return value.
import { recordAudit } from "@/lib/audit/record-audit";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors/app-error";
import {
  createToken,
  revokeToken,
  type ApiTokenSummary,
  type CreatedApiToken,
  type CreateTokenOptions,
} from "@/lib/security/api-tokens";

export type TokenActor = { userId: string; ip: string | null };

export type CreateApiTokenOptions = Pick<CreateTokenOptions, "name" | "scopes" | "expiresInDays"> & {
  organizationId: string;
  actor: TokenActor;
};

export async function createApiToken(options: CreateApiTokenOptions): Promise<CreatedApiToken> {
  return db.$transaction(async (tx) => {
    const created = await createToken({
      db: tx,
      organizationId: options.organizationId,
      createdById: options.actor.userId,
      name: options.name,
      scopes: options.scopes,
      expiresInDays: options.expiresInDays,
    });
    await recordAudit({
      db: tx,
      organizationId: options.organizationId,
      actor: { userId: options.actor.userId },
      action: "api_token.create",
      targetType: "api_token",
      targetId: created.id,
      outcome: "SUCCESS",
      metadata: {
        name: created.name,
        prefix: created.prefix,
        scopes: created.scopes,
        expiresAt: created.expiresAt?.toISOString() ?? null,
      },
      ip: options.actor.ip,
    });
    return created;
  });
}

export type RevokeApiTokenOptions = { organizationId: string; tokenId: string; actor: TokenActor };

/** Revokes at once (validation reads revokedAt on every request); 404 when the organization has no such token. */
export async function revokeApiTokenOrThrow(options: RevokeApiTokenOptions): Promise<ApiTokenSummary> {
  return db.$transaction(async (tx) => {
    const revoked = await revokeToken(options.tokenId, options.organizationId, { db: tx });
    if (!revoked) throw new AppError("not_found", "No such API token.");
    await recordAudit({
      db: tx,
      organizationId: options.organizationId,
      actor: { userId: options.actor.userId },
      action: "api_token.revoke",
      targetType: "api_token",
      targetId: revoked.id,
      outcome: "SUCCESS",
      metadata: { name: revoked.name, prefix: revoked.prefix },
      ip: options.actor.ip,
    });
    return revoked;
  });
}
