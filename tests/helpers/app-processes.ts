// Starts application processes (tests/helpers/app-process.ts under tsx) that share this test's PostgreSQL and talk
// to an HTTP Discord sandbox, and sends them operations.
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import type { AppProcessError, AppProcessOp, AppProcessReply } from "./app-process";

export type AppProcess = {
  pid: number;
  /** Runs one op; resolves with its value or rejects with the child's error fields. */
  send: <T = unknown>(op: AppProcessOp) => Promise<T>;
  /** Like send, but resolves with the error fields (or undefined when the op succeeded). */
  failure: (op: AppProcessOp) => Promise<AppProcessError | undefined>;
  stop: () => Promise<void>;
};

export class AppProcessFailure extends Error {
  constructor(readonly fields: AppProcessError) {
    super(`${fields.name} ${String(fields.code)}: ${fields.message}`);
  }
}

export async function startAppProcess(env: Record<string, string>): Promise<AppProcess> {
  const child: ChildProcess = spawn(
    path.resolve("node_modules/.bin/tsx"),
    ["--tsconfig", "tsconfig.json", "tests/helpers/app-process.ts"],
    {
      env: { ...process.env, NODE_ENV: "test", LOG_LEVEL: "silent", WORKER_IN_PROCESS: "false", ...env },
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    },
  );
  let next = 0;
  const waiting = new Map<number, (reply: AppProcessReply) => void>();
  child.on("message", (reply: AppProcessReply) => waiting.get(reply.id)?.(reply));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const send = <T>(op: AppProcessOp): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = ++next;
      waiting.set(id, (reply) => {
        waiting.delete(id);
        if (reply.ok) resolve(reply.value as T);
        else reject(new AppProcessFailure(reply.error));
      });
      child.send({ id, ...op });
    });
  const pid = await Promise.race([
    send<number>({ op: "ready" }),
    exited.then(() => {
      throw new Error("the app process exited during start-up");
    }),
  ]);
  return {
    pid,
    send,
    failure: (op) =>
      send(op).then(
        () => undefined,
        (error: unknown) => {
          if (error instanceof AppProcessFailure) return error.fields;
          throw error;
        },
      ),
    stop: async () => {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}
