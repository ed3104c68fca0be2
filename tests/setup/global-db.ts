// One PostgreSQL per test run: the embedded one in a temporary directory, or the server in DATABASE_URL. Migrations
// run once into a template database; each worker clones it (tests/setup/db.ts).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres } from "../../scripts/lib/embedded-postgres";
import { migrateDeploy } from "../../scripts/lib/run";

export const TEMPLATE = "gg_test_template";
export const WORKER_PREFIX = "gg_test_w";

declare module "vitest" {
  export interface ProvidedContext {
    database: { adminUrl: string; template: string; runDir: string };
  }
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function recreateTemplate(adminUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    // Leftovers of an earlier run on a shared server: drop our own databases only.
    const { rows } = await client.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE datname = $1 OR datname LIKE $2",
      [TEMPLATE, `${WORKER_PREFIX}%`],
    );
    for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${TEMPLATE}"`);
  } finally {
    await client.end();
  }
}

export default async function setup(project: TestProject) {
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), "guildgate-test-"));
  const external =
    process.env.DATABASE_URL && !process.env.DATABASE_URL.includes("not-an-integration-test")
      ? process.env.DATABASE_URL
      : undefined;
  let stop = async () => {};
  let adminUrl: string;
  if (external) {
    adminUrl = withDatabase(external, "postgres");
  } else {
    const cluster = await startEmbeddedPostgres({
      dataDir: path.join(runDir, "pg"),
      database: "postgres",
      persistent: false,
    });
    adminUrl = cluster.urlFor("postgres");
    stop = cluster.stop;
  }
  await recreateTemplate(adminUrl);
  await migrateDeploy(withDatabase(adminUrl, TEMPLATE));
  project.provide("database", { adminUrl, template: TEMPLATE, runDir });
  return async () => {
    await stop();
    fs.rmSync(runDir, { recursive: true, force: true });
  };
}
