// Re-encrypts vault secrets written with an older key onto the current one (the highest version in VAULT_KEYS).
// Batches are committed one by one, so a stopped run resumes where it was; rows already on the current version are
// never selected, so running it again is a no-op.
import type { Db } from "@/lib/db";
import { db as defaultDb } from "@/lib/db";
import { vaultContext } from "@/lib/crypto/token-vault";
import { currentKeyVersion, decrypt, encrypt, VaultError, type VaultErrorCode } from "@/lib/crypto/vault";

export type RotateVaultProgress = { batch: number; rotated: number; skipped: number; failed: number };

export type RotateVaultOptions = {
  batchSize?: number;
  /** Stop after this many batches (the next run continues). */
  maxBatches?: number;
  onBatch?: (progress: RotateVaultProgress) => void;
  db?: Db;
};

export type RotateVaultResult = {
  targetVersion: number;
  /** Rows read on an old version. */
  scanned: number;
  /** Rows re-encrypted onto the target version. */
  rotated: number;
  /** Rows replaced by a concurrent store while this ran (the new value is already on the target version). */
  skipped: number;
  /** Rows that could not be decrypted; they stay as they are and are counted in `remaining`. */
  failed: { id: string; code: VaultErrorCode }[];
  batches: number;
  /** Rows still on another version when the run ended. */
  remaining: number;
};

export async function rotateVaultSecrets(options: RotateVaultOptions = {}): Promise<RotateVaultResult> {
  const client = options.db ?? defaultDb;
  const batchSize = options.batchSize ?? 200;
  const targetVersion = currentKeyVersion();
  const result: RotateVaultResult = {
    targetVersion,
    scanned: 0,
    rotated: 0,
    skipped: 0,
    failed: [],
    batches: 0,
    remaining: 0,
  };
  // Keyset on id, so rows that fail stay behind us instead of being read again forever.
  let afterId: string | undefined;

  while (options.maxBatches === undefined || result.batches < options.maxBatches) {
    const rows = await client.vaultSecret.findMany({
      where: { keyVersion: { not: targetVersion }, ...(afterId ? { id: { gt: afterId } } : {}) },
      select: { id: true, organizationId: true, provider: true, tokenType: true, identifier: true, ciphertext: true },
      orderBy: { id: "asc" },
      take: batchSize,
    });
    if (rows.length === 0) break;
    afterId = rows.at(-1)!.id;
    result.batches++;
    result.scanned += rows.length;

    const updates: { id: string; from: string; to: string }[] = [];
    let failed = 0;
    for (const row of rows) {
      const context = vaultContext(row);
      try {
        updates.push({ id: row.id, from: row.ciphertext, to: encrypt(decrypt(row.ciphertext, context), context) });
      } catch (error) {
        if (!(error instanceof VaultError)) throw error;
        result.failed.push({ id: row.id, code: error.code });
        failed++;
      }
    }
    const counts = await client.$transaction(
      // Conditional on the ciphertext read: a concurrent storeToken wins and is not overwritten with the old value.
      updates.map((u) =>
        client.vaultSecret.updateMany({
          where: { id: u.id, ciphertext: u.from },
          data: { ciphertext: u.to, keyVersion: targetVersion },
        }),
      ),
    );
    const rotated = counts.reduce((n, c) => n + c.count, 0);
    result.rotated += rotated;
    result.skipped += updates.length - rotated;
    options.onBatch?.({ batch: result.batches, rotated, skipped: updates.length - rotated, failed });
  }

  result.remaining = await client.vaultSecret.count({ where: { keyVersion: { not: targetVersion } } });
  return result;
}
