// The development database: DATABASE_URL when set (nothing embedded starts), else the persistent embedded cluster
// in .data/postgres on DEV_DB_PORT (default 54329).
import path from "node:path";
import { startEmbeddedPostgres } from "./embedded-postgres";

export const DEV_DATA_DIR = path.resolve(".data/postgres");

export type DevDatabase = { url: string; embedded: boolean; stop: () => Promise<void> };

export async function startDevDatabase(): Promise<DevDatabase> {
  if (process.env.DATABASE_URL) {
    return { url: process.env.DATABASE_URL, embedded: false, stop: async () => {} };
  }
  const db = await startEmbeddedPostgres({
    dataDir: DEV_DATA_DIR,
    database: "guildgate",
    port: Number(process.env.DEV_DB_PORT ?? 54329),
    persistent: true,
  });
  return { url: db.url, embedded: true, stop: db.stop };
}
