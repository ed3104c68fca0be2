// The whole product on throw-away infrastructure, for the end-to-end tests and the page benchmark: an embedded
// PostgreSQL (migrated and seeded) and the Discord sandbox on free ports, `npm run build` into .next-e2e (so a
// build or `next dev` in .next is untouched), and the artifact that ships: `node <dist>/standalone/server.js`
// plus the compiled job runner `node <dist>/standalone/worker.mjs` as its own process, pointed at both.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Db } from "../../src/lib/db";
import { startDiscordSandbox, type DiscordSandbox } from "../../tests/fakes/discord/sandbox";
import { freePort, startEmbeddedPostgres, type EmbeddedDatabase } from "../lib/embedded-postgres";
import { migrateDeploy, run } from "../lib/run";

export const DIST_DIR = ".next-e2e";
const STANDALONE = path.join(DIST_DIR, "standalone");

export type Stack = {
  baseUrl: string;
  sandbox: DiscordSandbox;
  database: EmbeddedDatabase;
  /** The app's Prisma client, connected to the stack's database. */
  db: Db;
  /** The `next start` process, for benches that read its CPU time. */
  serverPid: number | undefined;
  stop: () => Promise<void>;
};

export type StartStackOptions = {
  /** "always" rebuilds; "if-missing" reuses an existing .next-e2e build. */
  build: "always" | "if-missing";
  /** Where the server's and the worker's output goes. */
  serverLog: string;
  log?: (message: string) => void;
};

async function waitForHealth(url: string, server: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`the server exited with ${server.exitCode}; see its log`);
    try {
      if ((await fetch(`${url}/api/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the server did not become healthy within ${timeoutMs} ms`);
}

async function stopProcess(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  // The whole process group (npm and the node it started).
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, name);
    } catch {
      child.kill(name);
    }
  };
  signal("SIGTERM");
  const timer = setTimeout(() => signal("SIGKILL"), 5000);
  await exited;
  clearTimeout(timer);
}

export async function startStack(options: StartStackOptions): Promise<Stack> {
  const log = options.log ?? (() => {});
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), "guildgate-stack-"));
  const cleanups: (() => Promise<unknown>)[] = [];
  let server: ChildProcess | undefined;
  let worker: ChildProcess | undefined;
  const stop = async () => {
    await Promise.all([stopProcess(server), stopProcess(worker)]);
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
    fs.rmSync(runDir, { recursive: true, force: true });
  };
  try {
    const [database, sandbox, appPort] = await Promise.all([
      startEmbeddedPostgres({ dataDir: path.join(runDir, "pg"), database: "guildgate_e2e", persistent: false }),
      startDiscordSandbox({ port: 0 }),
      freePort(),
    ]);
    cleanups.push(
      () => database.stop(),
      () => sandbox.close(),
    );
    log(`database on port ${database.port}, Discord sandbox at ${sandbox.url}`);

    const baseUrl = `http://localhost:${appPort}`;
    // The sandbox's review buttons send their signed interactions to this app.
    sandbox.setInteractionsEndpoint(`${baseUrl}/api/discord/interactions`);
    const env: Record<string, string> = {
      ...(process.env as Record<string, string>),
      ...sandbox.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      NEXT_DIST_DIR: DIST_DIR,
      DATABASE_URL: database.url,
      APP_URL: baseUrl,
      STATE_SIGNING_SECRET: randomBytes(48).toString("base64url"),
      VAULT_KEYS: `1:${randomBytes(32).toString("base64")}`,
      // The job runner is the compiled worker process, as in the compose file.
      WORKER_IN_PROCESS: "false",
      LOG_LEVEL: "warn",
      PORT: String(appPort),
      HOSTNAME: "localhost",
    };

    await migrateDeploy(database.url);
    // The seed runs in this process against the stack's database: the app's modules read the environment lazily.
    Object.assign(process.env, {
      DATABASE_URL: database.url,
      STATE_SIGNING_SECRET: env.STATE_SIGNING_SECRET,
      VAULT_KEYS: env.VAULT_KEYS,
    });
    const { db, disconnectDb } = await import("../../src/lib/db");
    const { seedDemoOrganization } = await import("../../src/lib/demo/seed");
    await seedDemoOrganization({ db });
    cleanups.push(() => disconnectDb());
    log("database migrated and seeded");

    const built = ["server.js", "worker.mjs"].every((file) => fs.existsSync(path.join(STANDALONE, file)));
    if (options.build === "if-missing" && built) {
      log(`reusing the build in ${DIST_DIR}`);
    } else {
      const t = Date.now();
      log(`building into ${DIST_DIR} ...`);
      // next build points next-env.d.ts at its distDir; everyone else's tsc expects .next, so put it back after.
      const nextEnv = fs.existsSync("next-env.d.ts") ? fs.readFileSync("next-env.d.ts", "utf8") : null;
      try {
        // The same script CI and the Dockerfile run: next build, then the artifact (static files, worker.mjs).
        await run("npm", ["run", "build"], { env });
      } finally {
        if (nextEnv !== null) fs.writeFileSync("next-env.d.ts", nextEnv);
      }
      log(`built in ${Math.round((Date.now() - t) / 1000)} s`);
    }

    const serverLog = fs.createWriteStream(options.serverLog);
    // Through the npm scripts operators use (`npm start`, `npm run start:worker`, which honour NEXT_DIST_DIR), each
    // in its own process group so stopping it stops node and not only npm.
    const startScript = (script: string) => {
      const child = spawn("npm", ["run", "--silent", script], {
        env: env as NodeJS.ProcessEnv,
        stdio: ["ignore", "pipe", "pipe"],
        detached: true,
      });
      child.stdout?.pipe(serverLog, { end: false });
      child.stderr?.pipe(serverLog, { end: false });
      return child;
    };
    server = startScript("start");
    worker = startScript("start:worker");
    // Generous: the first request loads the server chunks, slow on a loaded 2-core machine.
    await waitForHealth(baseUrl, server, 180_000);
    if (worker.exitCode !== null) throw new Error(`the worker exited with ${worker.exitCode}; see the server log`);
    log(`${STANDALONE}/server.js ready at ${baseUrl}, worker.mjs running`);
    // serverPid: npm's process; the bench that reads server CPU follows its children (a process group).
    return { baseUrl, sandbox, database, db, serverPid: server.pid, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
