// Helpers for tests of the security core: organizations to hang rows on, and vault key switching.
import { db } from "@/lib/db";
import { resetEnvCache } from "@/lib/env";

let counter = 0;

export async function createOrganization(name = "Org"): Promise<{ id: string; slug: string }> {
  counter++;
  return db.organization.create({
    data: { slug: `${name.toLowerCase().replace(/[^a-z0-9]+/g, "-")}-${counter}-${Date.now().toString(36)}`, name },
    select: { id: true, slug: true },
  });
}

export const vaultKey = (fill: number): string => Buffer.alloc(32, fill).toString("base64");

/** Switches VAULT_KEYS (e.g. `2:<key>,1:<key>`) for the rest of the test; returns a function restoring the old value. */
export function useVaultKeys(value: string): () => void {
  const previous = process.env.VAULT_KEYS;
  process.env.VAULT_KEYS = value;
  resetEnvCache();
  return () => {
    process.env.VAULT_KEYS = previous;
    resetEnvCache();
  };
}
