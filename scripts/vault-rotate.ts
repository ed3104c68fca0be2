// `npm run vault:rotate`: re-encrypts every vault secret onto the newest key in VAULT_KEYS, in batches, printing
// counts. Safe to stop and run again. Exits 1 when rows remain on old versions (undecryptable ones are listed by id).
// Uses DATABASE_URL, or the development database; reads .env.local like `npm run dev` (never overriding the env).
import { startDevDatabase } from "./lib/dev-database";
import { loadEnvFile } from "./lib/env-local";

loadEnvFile(".env.local");
const batchArg = process.argv.find((a) => a.startsWith("--batch-size="));
const batchSize = batchArg ? Number(batchArg.split("=")[1]) : 200;
if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) {
  console.error("usage: npm run vault:rotate -- [--batch-size=1..10000]");
  process.exit(2);
}

const database = await startDevDatabase();
process.env.DATABASE_URL = database.url;
const { rotateVaultSecrets } = await import("@/lib/crypto/rotate-vault");
const { disconnectDb } = await import("@/lib/db");

let exitCode = 0;
try {
  const result = await rotateVaultSecrets({
    batchSize,
    onBatch: (p) =>
      console.log(`batch ${p.batch}: re-encrypted ${p.rotated}, changed concurrently ${p.skipped}, failed ${p.failed}`),
  });
  console.log(
    `vault rotation to key version ${result.targetVersion}: scanned ${result.scanned}, re-encrypted ${result.rotated}, ` +
      `changed concurrently ${result.skipped}, failed ${result.failed.length}, remaining on old versions ${result.remaining}`,
  );
  for (const f of result.failed) console.log(`  failed ${f.id}: ${f.code}`);
  if (result.remaining > 0) exitCode = 1;
} catch (error) {
  // An invalid environment names its variables (never their values); anything else could carry row data, so
  // only its name and code are printed.
  const { EnvError } = await import("@/lib/env");
  const detail =
    error instanceof EnvError
      ? error.message
      : error instanceof Error
        ? `${error.name} ${"code" in error ? String(error.code) : ""}`
        : "error";
  console.error(`vault rotation failed: ${detail}`);
  exitCode = 1;
} finally {
  await disconnectDb();
  await database.stop();
}
process.exit(exitCode);
