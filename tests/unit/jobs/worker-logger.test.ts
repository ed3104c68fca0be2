// graphile-worker's lines as the adapter passes them on: the shapes below are what graphile-worker 0.17 logs
// (worker.js, lib.js, main.js); tests/integration/jobs/worker-log-lines.test.ts checks the same with a real runner.
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "@/lib/logger";
import { createWorkerLogger, maskConsoleConnectionDetails, redactConnectionDetails } from "@/lib/jobs/logger";

const DATABASE_URL = "postgresql://app:s3cret-pw@db.internal.example:6543/guildgate";

function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({ write: (chunk, _enc, done) => (lines.push(JSON.parse(String(chunk))), done()) });
  const log = createLogger({ level: "debug", destination });
  return { lines, logger: createWorkerLogger({ log, databaseUrl: () => DATABASE_URL }) };
}

const job = {
  id: "42",
  task_identifier: "assign-role",
  attempts: 2,
  max_attempts: 5,
  payload: { applicationId: "app-secret-payload" },
  queue_name: "q",
  run_at: new Date(),
};
const refused = Object.assign(new Error("connect ECONNREFUSED 10.1.2.3:6543"), {
  code: "ECONNREFUSED",
  address: "10.1.2.3",
  port: 6543,
});

describe("graphile-worker log adapter", () => {
  it("logs a completed job at debug with its id and task, without the job row", () => {
    const { lines, logger } = capture();
    logger
      .scope({ label: "worker", workerId: "w1" })
      .info("Completed task 42 (assign-role, 12.34ms) with success", { job, duration: 12.34, success: true });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 20,
      msg: "job completed",
      jobId: "42",
      task: "assign-role",
      durationMs: 12,
    });
    expect(JSON.stringify(lines)).not.toContain("app-secret-payload");
  });

  it("logs a failed attempt at warn with job id, task, attempt and the error's name and code only", () => {
    const { lines, logger } = capture();
    const error = Object.assign(new Error("Can't reach database server at db.internal.example:6543"), {
      code: "P1001",
    });
    logger
      .scope({ label: "worker" })
      .error(`Failed task 42 (assign-role, 5.00ms, attempt 2 of 5) with error '${error.message}':\n  ${error.stack}`, {
        failure: true,
        job,
        error,
        duration: 5,
      });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 40,
      msg: "job attempt failed",
      jobId: "42",
      task: "assign-role",
      attempt: 2,
      maxAttempts: 5,
      err: { name: "Error", code: "P1001" },
    });
    const text = JSON.stringify(lines);
    expect(text).not.toContain("app-secret-payload");
    expect(text).not.toContain("db.internal.example");
    expect(text).not.toContain("6543");
  });

  it("masks the database host and port in graphile-worker's own messages and logs a lost connection as a warning", () => {
    const { lines, logger } = capture();
    const scoped = logger.scope({ label: "worker" });
    scoped.error(`PostgreSQL idle client generated error: ${refused.message}`, { error: refused });
    scoped.error(`Failed to fail jobs '42':\nError: connect ECONNREFUSED db.internal.example:6543`, {
      fatalError: refused,
      specs: [{ job }],
    });
    scoped.error(`Error with notify listener (trying again in 500ms): terminating connection; see ${DATABASE_URL}`, {
      error: Object.assign(new Error("x"), { code: "57P01" }),
    });
    expect(lines.map((l) => l.level)).toEqual([40, 40, 40]);
    const text = JSON.stringify(lines);
    for (const secret of ["10.1.2.3", "6543", "db.internal.example", "s3cret-pw", "app-secret-payload"])
      expect(text).not.toContain(secret);
    expect(lines[0]).toMatchObject({ err: { name: "Error", code: "ECONNREFUSED" } });
  });

  it("keeps a real bug at error", () => {
    const { lines, logger } = capture();
    logger.scope({ label: "worker" }).error("Worker exited with error: TypeError: x is not a function", {
      error: new TypeError("x is not a function"),
    });
    expect(lines[0]).toMatchObject({ level: 50, err: { name: "TypeError" } });
  });
});

describe("redactConnectionDetails", () => {
  it.each([
    ["connect ECONNREFUSED 127.0.0.1:5432", "connect ECONNREFUSED [address]"],
    ["connect ECONNREFUSED [::1]:5432", "connect ECONNREFUSED [address]"],
    ["connect ECONNREFUSED ::1:5432", "connect ECONNREFUSED [address]"],
    ["see postgres://u:p@h:1/db now", "see [database-url] now"],
    ["at localhost:5432", "at [address]"],
    ["at db.internal.example:6543 and db.internal.example", "at [database-host] and [database-host]"],
    ["Completed task 42 (assign-role, 12.34ms) at 10:30:11", "Completed task 42 (assign-role, 12.34ms) at 10:30:11"],
  ])("%s", (input, output) => {
    expect(redactConnectionDetails(input, DATABASE_URL)).toBe(output);
  });
});

describe("maskConsoleConnectionDetails (the runner inside the web server)", () => {
  function patched() {
    const printed: { method: string; args: unknown[] }[] = [];
    const target = {
      trace: (...args: unknown[]) => printed.push({ method: "trace", args }),
      error: (...args: unknown[]) => printed.push({ method: "error", args }),
      warn: (...args: unknown[]) => printed.push({ method: "warn", args }),
    };
    const lines: Record<string, unknown>[] = [];
    const destination = new Writable({ write: (chunk, _enc, done) => (lines.push(JSON.parse(String(chunk))), done()) });
    const log = createLogger({ level: "debug", destination });
    maskConsoleConnectionDetails({ target, log, databaseUrl: () => DATABASE_URL });
    return { target, printed, lines };
  }

  it("sends graphile-worker's shutdown trace through the logger, by name and code, without host or port", () => {
    const { target, printed, lines } = patched();
    // graphile-worker main.js: console.trace(error) when a worker of a shutting-down pool ends with an error.
    target.trace(refused);
    expect(printed).toHaveLength(0);
    expect(lines).toEqual([expect.objectContaining({ level: 40, source: "console", msg: "Error (ECONNREFUSED)" })]);
    expect(JSON.stringify(lines)).not.toMatch(/10\.1\.2\.3|6543/);
  });

  it("masks addresses in console.error and console.warn and keeps other errors as they are", () => {
    const { target, printed } = patched();
    target.error(
      "completeJob: attempt 1/5 failed; retrying after 100ms. Error: connect ECONNREFUSED 10.1.2.3:6543",
      refused,
    );
    target.warn("at db.internal.example:6543");
    const bug = new TypeError("x is not a function");
    target.error(bug);
    expect(printed[0]!.args[0]).toBe(
      "completeJob: attempt 1/5 failed; retrying after 100ms. Error: connect ECONNREFUSED [address]",
    );
    const copy = printed[0]!.args[1] as Error & { code?: string; address?: unknown };
    expect(copy).toBeInstanceOf(Error);
    expect(copy.code).toBe("ECONNREFUSED");
    expect(copy.address).toBeUndefined();
    expect(`${copy.message} ${copy.stack}`).not.toMatch(/10\.1\.2\.3|6543/);
    expect(printed[1]!.args[0]).toBe("at [database-host]");
    expect(printed[2]!.args[0]).toBe(bug);
  });

  it("keeps a bare host readable: Next's dev-origin advice is not a connection detail (issue 27 item 1)", () => {
    const { target, printed } = patched();
    const advice = "allowedDevOrigins: ['db.internal.example', '10.1.2.3']";
    target.warn(advice);
    target.error("connect ECONNREFUSED 10.1.2.3:6543 at db.internal.example:6543");
    expect(printed[0]!.args[0]).toBe(advice);
    expect(printed[1]!.args[0]).toBe("connect ECONNREFUSED [address] at [database-host]");
  });
});
