// `npm run db:seed`: the demo organization (what `npm run dev` seeds), into DATABASE_URL or the development
// database, idempotently. `--owner=<Discord user id>` makes that user an OWNER; without it, when no Discord
// application is configured, the sandbox's "Demo Admin" owns it (as in `npm run dev`). Reads .env.local like dev.
import { startDevDatabase } from "./lib/dev-database";
import { loadEnvFile } from "./lib/env-local";

loadEnvFile(".env.local");
const ownerArg = process.argv.find((a) => a.startsWith("--owner="))?.split("=")[1];
if (ownerArg !== undefined && !/^\d{17,20}$/.test(ownerArg)) {
  console.error("usage: npm run db:seed -- [--owner=<Discord user id>]");
  process.exit(2);
}

const database = await startDevDatabase();
process.env.DATABASE_URL = database.url;
const { seedDemoOrganization } = await import("@/lib/demo/seed");
const { db, disconnectDb } = await import("@/lib/db");
const owner =
  ownerArg ??
  (process.env.DISCORD_CLIENT_ID ? undefined : (await import("../tests/fakes/discord/world")).WORLD_IDS.admin);

let exitCode = 0;
try {
  const demo = await seedDemoOrganization({ db, ownerDiscordUserId: owner });
  console.log(
    `demo organization "${demo.name}" ready (/apply/${demo.slug})${owner ? `, owned by Discord user ${owner}` : ""}`,
  );
} catch (error) {
  // By name and code only: a connection error's message can carry the database URL.
  console.error(
    `seeding failed: ${error instanceof Error ? error.name : "error"}${(error as { code?: string }).code ? ` (${(error as { code?: string }).code})` : ""}`,
  );
  exitCode = 1;
} finally {
  await disconnectDb();
  await database.stop();
}
process.exit(exitCode);
