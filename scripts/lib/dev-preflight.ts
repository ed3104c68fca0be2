// What `npm run dev` checks before it starts anything: a second run in the same folder (its PostgreSQL already in
// .data/postgres, or the app's port taken) is told what is running and where, instead of failing on its own.
import fs from "node:fs";
import net from "node:net";
import path from "node:path";

/** The running postmaster of a data directory: its pid and port from postmaster.pid, when that process lives. */
export function runningPostmaster(dataDir: string): { pid: number; port: number } | undefined {
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (!fs.existsSync(pidFile)) return undefined;
  // postmaster.pid: line 1 the pid, line 4 the port.
  const lines = fs.readFileSync(pidFile, "utf8").split("\n");
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    process.kill(pid, 0);
  } catch {
    return undefined;
  }
  return { pid, port };
}

/** Whether something already listens on the port (any address). */
export async function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", (error: NodeJS.ErrnoException) => resolve(error.code === "EADDRINUSE"));
    server.listen(port, () => server.close(() => resolve(false)));
  });
}

export type PreflightOptions = { dataDir?: string; appPort: number; appUrl: string; embedded: boolean };

/** Sentences that explain why this run cannot start, or an empty list. */
export async function devPreflight(options: PreflightOptions): Promise<string[]> {
  const problems: string[] = [];
  const postmaster = options.embedded && options.dataDir ? runningPostmaster(options.dataDir) : undefined;
  if (postmaster) {
    problems.push(
      `The development database is already running (PostgreSQL pid ${postmaster.pid}, port ${postmaster.port}, data in ${path.relative(process.cwd(), options.dataDir!) || "."}): another \`npm run dev\` in this folder is probably running. Use it at ${options.appUrl}, or stop it (Ctrl-C in its terminal, or \`kill ${postmaster.pid}\` for a PostgreSQL left behind) and start again.`,
    );
  }
  if (await portInUse(options.appPort)) {
    problems.push(
      `Port ${options.appPort} is already in use${postmaster ? " (probably by that run's app)" : ""}. Stop what listens there, or start on another port: PORT=${options.appPort + 1} npm run dev.`,
    );
  }
  return problems;
}
