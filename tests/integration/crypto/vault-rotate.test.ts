import { afterEach, describe, expect, it } from "vitest";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { db } from "@/lib/db";
import { rotateVaultSecrets } from "@/lib/crypto/rotate-vault";
import { getToken, storeToken } from "@/lib/crypto/token-vault";
import { keyVersionOf } from "@/lib/crypto/vault";
import { createOrganization, useVaultKeys, vaultKey } from "~tests/helpers/security";

const run = promisify(execFile);
let restore: (() => void) | undefined;
afterEach(() => {
  restore?.();
  restore = undefined;
});

const V1 = `1:${vaultKey(11)}`;
const V2 = `2:${vaultKey(22)}`;

function switchKeys(value: string): void {
  const undo = useVaultKeys(value);
  restore ??= undo;
}

type Stored = { organizationId: string; identifier: string; value: string };

async function storeMany(n: number): Promise<Stored[]> {
  const orgs = [await createOrganization(), await createOrganization()];
  const stored: Stored[] = [];
  for (let i = 0; i < n; i++) {
    const item = {
      organizationId: orgs[i % 2]!.id,
      identifier: `hook-${i}`,
      value: `webhook-secret-${i}-${"s".repeat(i)}`,
    };
    await storeToken({ ...item, provider: "WEBHOOK", tokenType: "WEBHOOK_SECRET" });
    stored.push(item);
  }
  return stored;
}

async function readAll(stored: Stored[]): Promise<string[]> {
  const out: string[] = [];
  for (const s of stored) out.push((await getToken({ ...s, provider: "WEBHOOK", tokenType: "WEBHOOK_SECRET" }))!.value);
  return out;
}

const versions = async () =>
  (await db.vaultSecret.groupBy({ by: ["keyVersion"], _count: true, orderBy: { keyVersion: "asc" } })).map((g) => [
    g.keyVersion,
    g._count,
  ]);

describe("rotateVaultSecrets", () => {
  it("old ciphertexts decrypt after a key is added; rotation leaves 0 old rows, all values intact", async () => {
    switchKeys(V1);
    const stored = await storeMany(25);
    switchKeys(`${V2},${V1}`);
    expect(await readAll(stored)).toEqual(stored.map((s) => s.value));
    expect(await versions()).toEqual([[1, 25]]);

    const batches: number[] = [];
    const result = await rotateVaultSecrets({ batchSize: 10, onBatch: (p) => batches.push(p.rotated) });
    expect(result).toMatchObject({
      targetVersion: 2,
      scanned: 25,
      rotated: 25,
      skipped: 0,
      failed: [],
      batches: 3,
      remaining: 0,
    });
    expect(batches).toEqual([10, 10, 5]);
    expect(await versions()).toEqual([[2, 25]]);
    for (const row of await db.vaultSecret.findMany()) expect(keyVersionOf(row.ciphertext)).toBe(2);

    // The old key can go now.
    switchKeys(V2);
    expect(await readAll(stored)).toEqual(stored.map((s) => s.value));
  });

  it("is idempotent: a second run changes nothing", async () => {
    switchKeys(V1);
    await storeMany(3);
    switchKeys(`${V2},${V1}`);
    await rotateVaultSecrets();
    const before = await db.vaultSecret.findMany({ orderBy: { id: "asc" } });
    const again = await rotateVaultSecrets();
    expect(again).toMatchObject({ scanned: 0, rotated: 0, batches: 0, remaining: 0 });
    expect(await db.vaultSecret.findMany({ orderBy: { id: "asc" } })).toEqual(before);
  });

  it("is resumable: a stopped run leaves the rest for the next one", async () => {
    switchKeys(V1);
    const stored = await storeMany(12);
    switchKeys(`${V2},${V1}`);
    const first = await rotateVaultSecrets({ batchSize: 5, maxBatches: 1 });
    expect(first).toMatchObject({ rotated: 5, remaining: 7 });
    expect(await versions()).toEqual([
      [1, 7],
      [2, 5],
    ]);
    const second = await rotateVaultSecrets({ batchSize: 5 });
    expect(second).toMatchObject({ rotated: 7, remaining: 0 });
    expect(await readAll(stored)).toEqual(stored.map((s) => s.value));
  });

  it("reports a row it cannot decrypt, leaves it, and rotates the others", async () => {
    switchKeys(V1);
    const stored = await storeMany(4);
    const victim = await db.vaultSecret.findFirstOrThrow({ where: { identifier: "hook-1" } });
    const donor = await db.vaultSecret.findFirstOrThrow({ where: { identifier: "hook-2" } });
    await db.vaultSecret.update({ where: { id: victim.id }, data: { ciphertext: donor.ciphertext } });
    switchKeys(`${V2},${V1}`);
    const result = await rotateVaultSecrets({ batchSize: 2 });
    expect(result).toMatchObject({ rotated: 3, failed: [{ id: victim.id, code: "TAMPERED" }], remaining: 1 });
    expect(await readAll([stored[0]!, stored[2]!, stored[3]!])).toEqual([
      stored[0]!.value,
      stored[2]!.value,
      stored[3]!.value,
    ]);
  });

  it("npm run vault:rotate prints counts and exits 0 once nothing is left", async () => {
    switchKeys(V1);
    await storeMany(7);
    const env = { ...process.env, VAULT_KEYS: `${V2},${V1}`, LOG_LEVEL: "silent" };
    const { stdout } = await run("npx", ["tsx", "scripts/vault-rotate.ts", "--batch-size=3"], { env, timeout: 60_000 });
    expect(stdout).toContain("batch 3: re-encrypted 1");
    expect(stdout).toContain(
      "vault rotation to key version 2: scanned 7, re-encrypted 7, changed concurrently 0, failed 0, remaining on old versions 0",
    );
    expect(await versions()).toEqual([[2, 7]]);
    const again = await run("npx", ["tsx", "scripts/vault-rotate.ts"], { env, timeout: 60_000 });
    expect(again.stdout).toContain("scanned 0, re-encrypted 0");
  }, 60_000);
});
