// Runs a command with DATABASE_URL pointing at a database: the given one, or the persistent embedded cluster in
// .data/postgres (started for the command and stopped after). Used for the Prisma CLI: `npm run db -- migrate status`.
import { spawn } from "node:child_process";
import { startDevDatabase } from "./lib/dev-database";

const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error("usage: tsx scripts/with-db.ts <command> [args...]");
  process.exit(2);
}
const db = await startDevDatabase();
const child = spawn(command, args, { stdio: "inherit", env: { ...process.env, DATABASE_URL: db.url } });
const code: number = await new Promise((resolve) => child.on("exit", (c) => resolve(c ?? 1)));
await db.stop();
process.exit(code);
