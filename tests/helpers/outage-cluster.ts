// A PostgreSQL cluster of its own that a test can stop and start again (same data, same port) to play an outage
// without touching the shared test database.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startEmbeddedPostgres, type EmbeddedDatabase } from "../../scripts/lib/embedded-postgres";
import { migrateDeploy } from "../../scripts/lib/run";

export type OutageCluster = {
  url: string;
  port: number;
  /** Stops PostgreSQL (fast shutdown: open connections are terminated). */
  stop: () => Promise<void>;
  /** Starts it again on the same port with the same data. */
  start: () => Promise<void>;
  /** Stops it if running and removes its files. */
  destroy: () => Promise<void>;
};

export type StartOutageClusterOptions = { name: string; migrate?: boolean };

export async function startOutageCluster(options: StartOutageClusterOptions): Promise<OutageCluster> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `guildgate-${options.name}-`));
  const dataDir = path.join(dir, "pg");
  let running: EmbeddedDatabase | undefined = await startEmbeddedPostgres({
    dataDir,
    database: options.name,
    persistent: true,
  });
  const { url, port } = running;
  if (options.migrate) await migrateDeploy(url);
  return {
    url,
    port,
    stop: async () => {
      await running?.stop();
      running = undefined;
    },
    start: async () => {
      running ??= await startEmbeddedPostgres({ dataDir, database: options.name, persistent: true, port });
    },
    destroy: async () => {
      await running?.stop();
      running = undefined;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
