// The Discord failure classification check (tests/e2e/discord-classification.ts) against an app that is already
// running, such as `npm run dev`: scripts/ci/npm-scripts-smoke.ts runs it once the dev server answers. Reads the
// app's database through DATABASE_URL and VAULT_KEYS (the dev server's own), and takes where the app and its
// Discord sandbox listen from CLASSIFICATION_BASE_URL and CLASSIFICATION_SANDBOX_URL. Exits 1 on a lost meaning.
import { checkDiscordClassification } from "../../tests/e2e/discord-classification";

const baseUrl = process.env.CLASSIFICATION_BASE_URL;
const sandboxUrl = process.env.CLASSIFICATION_SANDBOX_URL;
if (!baseUrl || !sandboxUrl) {
  console.error("[classification] set CLASSIFICATION_BASE_URL and CLASSIFICATION_SANDBOX_URL");
  process.exit(2);
}
const { db, disconnectDb } = await import("../../src/lib/db");
let failed = false;
try {
  await checkDiscordClassification({
    baseUrl,
    sandboxUrl,
    db,
    log: (message) => console.log(`[classification] ${message}`),
  });
  console.log("[classification] every Discord failure kept its meaning");
} catch (error) {
  failed = true;
  console.error(`[classification] ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
} finally {
  await disconnectDb();
}
process.exit(failed ? 1 : 0);
