// CI: runs the README's long-running npm scripts that no test covers, each until it proves it works, against a
// throw-away embedded PostgreSQL and free ports (nothing of the developer's .data or ports is touched):
// `npm run db:migrate`, `npm run db -- <cmd>`, `npm run discord:sandbox`, `npm run worker` and `npm run dev` (with
// the Discord failure classification check of tests/e2e/discord-classification.ts against it).
// Each is started in its own process group and stopped with SIGTERM. Exits 1 on the first failure.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort, startEmbeddedPostgres } from "../lib/embedded-postgres";
import { run } from "../lib/run";

const log = (message: string) => console.log(`[npm-scripts] ${message}`);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "guildgate-npm-scripts-"));
const database = await startEmbeddedPostgres({
  dataDir: path.join(dir, "pg"),
  database: "npm_scripts",
  persistent: false,
});
// Throw-away secrets (set here, so `npm run dev` writes no .env.local into the checkout).
const env: Record<string, string | undefined> = {
  ...process.env,
  DATABASE_URL: database.url,
  STATE_SIGNING_SECRET: randomBytes(48).toString("base64url"),
  VAULT_KEYS: `1:${randomBytes(32).toString("base64")}`,
  LOG_LEVEL: "info",
  NODE_ENV: "test",
};

type Started = { child: ChildProcess; output: () => string };

function start(args: string[], extra: Record<string, string> = {}): Started {
  const child = spawn("npm", ["run", "--silent", ...args], {
    env: { ...env, ...extra } as NodeJS.ProcessEnv,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  return { child, output: () => output };
}

async function until(what: string, started: Started, check: () => Promise<boolean> | boolean, timeoutMs = 180_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (started.child.exitCode !== null)
      throw new Error(`${what} exited with ${started.child.exitCode}:\n${started.output()}`);
    if (await Promise.resolve(check()).catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${what} did not get ready within ${timeoutMs} ms:\n${started.output()}`);
}

async function stop(started: Started): Promise<void> {
  if (started.child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => started.child.once("exit", () => resolve()));
  process.kill(-started.child.pid!, "SIGTERM");
  const timer = setTimeout(() => process.kill(-started.child.pid!, "SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}

const ok = async (url: string) => (await fetch(url)).ok;
let failed = false;
try {
  log(`db:migrate: ${(await run("npm", ["run", "--silent", "db:migrate"], { env })).trim().split("\n").pop()}`);
  const echoed = await run(
    "npm",
    [
      "run",
      "--silent",
      "db",
      "--",
      "node",
      "-e",
      "console.log(process.env.DATABASE_URL === process.argv[1])",
      database.url,
    ],
    { env },
  );
  if (echoed.trim() !== "true") throw new Error(`npm run db did not pass DATABASE_URL: ${echoed}`);
  log("db: runs a command with DATABASE_URL");

  const sandboxPort = await freePort();
  const sandbox = start(["discord:sandbox"], { DISCORD_SANDBOX_PORT: String(sandboxPort) });
  await until("discord:sandbox", sandbox, () => ok(`http://127.0.0.1:${sandboxPort}/_sandbox`));
  await stop(sandbox);
  log("discord:sandbox: served its admin API");

  const worker = start(["worker"]);
  await until("worker", worker, () => worker.output().includes("job runner started"));
  await stop(worker);
  log("worker: started the job runner");

  // `npm run dev` with its own sandbox: the sandbox's variables come from dev.ts, not from this environment.
  const port = await freePort();
  const devEnv = {
    PORT: String(port),
    DISCORD_SANDBOX_PORT: String(await freePort()),
    DISCORD_CLIENT_ID: "",
    NODE_ENV: "development",
  };
  const dev = start(["dev"], devEnv);
  try {
    await until("dev", dev, () => ok(`http://localhost:${port}/api/health`), 300_000);
    log("dev: migrated, seeded and answered /api/health");
    // Issue 23: under `next dev` (modules loaded twice) every Discord failure keeps its meaning.
    const classified = await run("npx", ["tsx", "scripts/e2e/discord-classification.ts"], {
      env: {
        ...env,
        CLASSIFICATION_BASE_URL: `http://localhost:${port}`,
        CLASSIFICATION_SANDBOX_URL: `http://127.0.0.1:${devEnv.DISCORD_SANDBOX_PORT}`,
      },
    });
    log(`dev: ${classified.trim().split("\n").pop()}`);
  } finally {
    await stop(dev);
  }
} catch (error) {
  failed = true;
  console.error(`[npm-scripts] ${error instanceof Error ? error.message : String(error)}`);
} finally {
  await database.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
