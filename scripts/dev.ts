// `npm run dev`: the whole product on one machine with nothing installed. Generates development secrets on first
// run, starts the embedded PostgreSQL (unless DATABASE_URL is set), migrates, seeds the demo organization, then
// starts Next.js. Ctrl-C stops everything.
import { spawn } from "node:child_process";
import { DEV_DATA_DIR, startDevDatabase } from "./lib/dev-database";
import { devPreflight } from "./lib/dev-preflight";
import { ensureEnvLocal, loadEnvFile } from "./lib/env-local";
import { migrateDeploy, run } from "./lib/run";

const started = Date.now();
const log = (message: string) => console.log(`[guildgate] ${message}`);

const generated = ensureEnvLocal();
if (generated.length > 0) log(`generated ${generated.join(", ")} into .env.local`);
loadEnvFile();

const port = process.env.PORT ?? "3000";
// OAuth redirect URIs are built from APP_URL; follow PORT unless it was set explicitly. next.config.ts allows this
// host as a dev origin, and src/proxy.ts sends a browser on another host of this server to it.
process.env.APP_URL ??= `http://localhost:${port}`;

const problems = await devPreflight({
  dataDir: DEV_DATA_DIR,
  appPort: Number(port),
  appUrl: process.env.APP_URL,
  embedded: !process.env.DATABASE_URL,
});
if (problems.length > 0) {
  for (const problem of problems) log(problem);
  process.exit(1);
}

// No Discord application configured: serve the local Discord sandbox and point the app at it.
let discordSandbox: { close: () => Promise<void> } | undefined;
const usingSandbox = !process.env.DISCORD_CLIENT_ID;
if (usingSandbox) {
  const { startDiscordSandbox, sandboxEnv, SANDBOX_PORT } = await import("../tests/fakes/discord/sandbox");
  const sandboxPort = Number(process.env.DISCORD_SANDBOX_PORT ?? SANDBOX_PORT);
  try {
    const sandbox = await startDiscordSandbox({ port: sandboxPort });
    discordSandbox = sandbox;
    Object.assign(process.env, sandbox.env);
    log(
      `no DISCORD_CLIENT_ID set: using the local Discord sandbox at ${sandbox.url} (sign in as "Demo Admin"; admin API ${sandbox.url}/_sandbox; direct messages the bot sent: ${sandbox.url}/_sandbox/dms)`,
    );
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EADDRINUSE") throw error;
    Object.assign(process.env, sandboxEnv(`http://127.0.0.1:${sandboxPort}`));
    log(`no DISCORD_CLIENT_ID set: using the Discord sandbox already running on port ${sandboxPort}`);
  }
}

const db = await startDevDatabase();
log(db.embedded ? `embedded PostgreSQL ready (${db.url.replace(/:[^:@/]+@/, ":***@")})` : "using DATABASE_URL");
process.env.DATABASE_URL = db.url;

await run("node_modules/.bin/prisma", ["generate"]);
await migrateDeploy(db.url);
log("migrations applied");

const { seedDemoOrganization } = await import("../src/lib/demo/seed");
const { db: prisma, disconnectDb } = await import("../src/lib/db");
// With the sandbox, its "Demo Admin" owns the demo organization, so signing in lands on it.
const sandboxAdmin = usingSandbox ? (await import("../tests/fakes/discord/world")).WORLD_IDS.admin : undefined;
const demo = await seedDemoOrganization({ db: prisma, ownerDiscordUserId: sandboxAdmin });
await disconnectDb();
log(`demo organization "${demo.name}" ready (/apply/${demo.slug})`);

// The sandbox's review buttons (its channel view) send signed interactions to this app, verified with the
// sandbox application's public key (DISCORD_PUBLIC_KEY, set above from the sandbox's environment).
if (usingSandbox) {
  const interactionsUrl = new URL("/api/discord/interactions", process.env.APP_URL).toString();
  const sandboxUrl = new URL(process.env.DISCORD_API_BASE_URL!).origin;
  await fetch(`${sandboxUrl}/_sandbox/interactions-endpoint`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ url: interactionsUrl }),
  }).catch(() => log("could not tell the sandbox where to send interactions"));
  log(`sandbox channel view (review buttons): ${sandboxUrl}/_sandbox/channels`);
}
const next = spawn("node_modules/.bin/next", ["dev", "--port", port], { stdio: "inherit", env: process.env });
log(`starting ${process.env.APP_URL} (prepared in ${Date.now() - started} ms)`);

let stopping = false;
async function stop(code: number) {
  if (stopping) return;
  stopping = true;
  next.kill("SIGTERM");
  await discordSandbox?.close().catch(() => {});
  await db.stop().catch(() => {});
  process.exit(code);
}
process.on("SIGINT", () => void stop(0));
process.on("SIGTERM", () => void stop(0));
next.on("exit", (code) => void stop(code ?? 0));
