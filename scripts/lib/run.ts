import { spawn } from "node:child_process";

export type RunOptions = { env?: Record<string, string | undefined> };

/** Runs a command to completion; rejects with its output when it fails. */
export function run(command: string, args: string[], options: RunOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { ...process.env, ...options.env }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0 ? resolve(output) : reject(new Error(`${command} ${args.join(" ")} exited with ${code}\n${output}`)),
    );
  });
}

/** Applies every migration in prisma/migrations to the database at `url`. */
export function migrateDeploy(url: string): Promise<string> {
  return run("node_modules/.bin/prisma", ["migrate", "deploy"], { env: { DATABASE_URL: url } });
}
