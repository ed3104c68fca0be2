// graphile-worker logs through pino (with its redaction) instead of the console, at the level an operator wants:
// a completed job is debug (graphile-worker says info, with the whole job row: ~1,000 characters per job), a failed
// attempt is warn with job id, task and attempt (no payload, no error text), and a lost database connection is a
// warning rather than an error. Connection details (URLs, hosts, ports) never reach a line: graphile-worker quotes
// driver messages such as "connect ECONNREFUSED 10.0.0.5:5432" in its own messages.
import { format } from "node:util";
import { Logger, type LogLevel } from "graphile-worker";
import type pino from "pino";
import { isDatabaseUnavailable } from "@/lib/errors/database-unavailable";
import { env } from "@/lib/env";
import { logger as appLogger, safeErrorFields } from "@/lib/logger";

const LEVEL = { error: "error", warning: "warn", info: "info", debug: "debug" } as const;
type PinoLevel = (typeof LEVEL)[keyof typeof LEVEL];

type JobFields = { id?: unknown; task_identifier?: unknown; attempts?: unknown; max_attempts?: unknown };

export type CreateWorkerLoggerOptions = {
  /** Where lines go; the application's logger by default. */
  log?: pino.Logger;
  /** The database whose host and port are masked wherever they appear; DATABASE_URL by default. */
  databaseUrl?: () => string | undefined;
};

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

export type RedactOptions = {
  /**
   * Also mask the database host and IP addresses without a port. Our own log lines: yes. Next's console output in
   * the web server: no, since connection errors always quote `address:port`, and a bare host there is advice such
   * as `allowedDevOrigins: ['127.0.0.1']` that must stay readable.
   */
  bareHosts?: boolean;
};

/** Masks connection strings, the configured database host and port, and any IP address (with port) in a text. */
export function redactConnectionDetails(text: string, databaseUrl?: string, options: RedactOptions = {}): string {
  const bare = options.bareHosts ?? true;
  let out = text.replace(/\bpostgres(?:ql)?:\/\/\S+/gi, "[database-url]");
  if (databaseUrl) {
    try {
      const url = new URL(databaseUrl);
      const host = url.hostname.replace(/^\[|\]$/g, "");
      if (host) {
        const port = url.port || "5432";
        const portPart = bare ? `(?::${port})?` : `:${port}`;
        out = out.replace(new RegExp(`\\[?${escapeRegExp(host)}\\]?${portPart}`, "gi"), "[database-host]");
      }
    } catch {
      // Not a URL: the generic patterns below still apply.
    }
  }
  if (!bare) {
    return out
      .replace(/\b(?:\d{1,3}\.){3}\d{1,3}:\d{1,5}\b/g, "[address]")
      .replace(/\[[0-9a-f:.]*:[0-9a-f:.]*\]:\d{1,5}/gi, "[address]")
      .replace(/(?<![\w:])::1:\d{1,5}\b/g, "[address]")
      .replace(/\blocalhost:\d{1,5}\b/gi, "[address]");
  }
  return out
    .replace(/\b(?:\d{1,3}\.){3}\d{1,3}(?::\d{1,5})?\b/g, "[address]")
    .replace(/\[[0-9a-f:.]*:[0-9a-f:.]*\](?::\d{1,5})?/gi, "[address]")
    .replace(/(?<![\w:])::1(?::\d{1,5})?\b/g, "[address]")
    .replace(/\blocalhost:\d{1,5}\b/gi, "[address]");
}

function asJob(value: unknown): JobFields | undefined {
  return typeof value === "object" && value !== null ? (value as JobFields) : undefined;
}

/** The fields worth keeping from graphile-worker's meta: ids and counts, never payloads, rows or error text. */
function jobFields(job: JobFields | undefined, scope: { jobId?: string; taskIdentifier?: string }) {
  return {
    jobId: job?.id !== undefined ? String(job.id) : scope.jobId,
    task: typeof job?.task_identifier === "string" ? job.task_identifier : scope.taskIdentifier,
    ...(typeof job?.attempts === "number" ? { attempt: job.attempts } : {}),
    ...(typeof job?.max_attempts === "number" ? { maxAttempts: job.max_attempts } : {}),
  };
}

function firstError(meta: Record<string, unknown> | undefined): unknown {
  return meta?.error ?? meta?.fatalError ?? meta?.reason;
}

export function createWorkerLogger(options: CreateWorkerLoggerOptions = {}): Logger {
  const log = () => options.log ?? appLogger;
  const databaseUrl = options.databaseUrl ?? (() => env.DATABASE_URL);
  return new Logger((scope) => (level: LogLevel, message: string, meta?: Record<string, unknown>) => {
    const base = { worker: scope.label, ...(scope.workerId ? { workerId: scope.workerId } : {}) };
    const duration = typeof meta?.duration === "number" ? { durationMs: Math.round(meta.duration) } : {};
    const job = asJob(meta?.job);
    if (meta?.success === true) {
      log().debug({ ...base, ...jobFields(job, scope), ...duration }, "job completed");
      return;
    }
    const error = firstError(meta);
    const err = error === undefined ? {} : { err: safeErrorFields(error) };
    if (meta?.failure === true) {
      // A failed attempt is retried by graphile-worker (or ends the job at max attempts): worth a warning, and the
      // reason by name and code only. The job's payload and the error's text stay out.
      const reason =
        error === undefined ? {} : { err: { name: safeErrorFields(error).name, code: safeErrorFields(error).code } };
      log().warn({ ...base, ...jobFields(job, scope), ...duration, ...reason }, "job attempt failed");
      return;
    }
    let method: PinoLevel = LEVEL[level as keyof typeof LEVEL] ?? "info";
    // The database going away is an outage the worker rides out (scripts/worker.ts), not a bug.
    if (method === "error" && error !== undefined && isDatabaseUnavailable(error)) method = "warn";
    const ids = job ? jobFields(job, scope) : scope.jobId ? { jobId: scope.jobId, task: scope.taskIdentifier } : {};
    log()[method]({ ...base, ...ids, ...err }, redactConnectionDetails(message, databaseUrl()));
  });
}

export const workerLogger = createWorkerLogger();

/** A console argument in a log line: an error by name and code only, anything else as the console prints it. */
function describeConsoleArg(arg: unknown): string {
  if (arg instanceof Error) {
    const { name, code } = safeErrorFields(arg);
    return code ? `${name} (${code})` : name;
  }
  return typeof arg === "string" ? arg : format("%o", arg);
}

/**
 * graphile-worker also writes a few lines straight to the console (console.trace when a worker of a shutting-down
 * pool ends with an error, console.error when a batch retries), printing the whole error object with its address
 * and port. For the standalone worker process: those lines go through pino, errors by name and code only, with
 * connection details masked.
 */
export function routeConsoleThroughLogger(options: CreateWorkerLoggerOptions = {}): void {
  const log = () => options.log ?? appLogger;
  const databaseUrl = options.databaseUrl ?? (() => env.DATABASE_URL);
  const line = (args: unknown[]) => redactConnectionDetails(args.map(describeConsoleArg).join(" "), databaseUrl());
  console.trace = (...args: unknown[]) => log().warn({ source: "console" }, line(args));
  console.error = (...args: unknown[]) => log().error({ source: "console" }, line(args));
  console.warn = (...args: unknown[]) => log().warn({ source: "console" }, line(args));
}

type ConsoleLike = Pick<Console, "trace" | "error" | "warn">;

export type MaskConsoleOptions = CreateWorkerLoggerOptions & {
  /** The console to patch; the global one by default. */
  target?: ConsoleLike;
};

/** An Error whose text or fields (a pg connection error carries `address` and `port`) would print the database's address. */
function masked(arg: unknown, databaseUrl: string | undefined): unknown {
  if (typeof arg === "string") return redactConnectionDetails(arg, databaseUrl, { bareHosts: false });
  if (!(arg instanceof Error)) return arg;
  const fields = arg as Error & { address?: unknown; port?: unknown };
  const text = `${arg.message}\n${arg.stack ?? ""}`;
  if (fields.address === undefined && fields.port === undefined && redactConnectionDetails(text, databaseUrl) === text)
    return arg;
  const { name, code } = safeErrorFields(arg);
  const copy = new Error(redactConnectionDetails(arg.message, databaseUrl));
  copy.name = name;
  copy.stack = redactConnectionDetails(arg.stack ?? "", databaseUrl);
  if (code) Object.assign(copy, { code });
  return copy;
}

/**
 * For the runner inside the web server, where the console is Next's too: graphile-worker's console.trace (a worker
 * of a shutting-down pool ended with an error) goes through pino like the standalone worker's; console.error and
 * console.warn keep printing, with database addresses masked in strings and connection errors (Next's own error
 * output keeps its stacks).
 */
export function maskConsoleConnectionDetails(options: MaskConsoleOptions = {}): void {
  const target = options.target ?? console;
  const log = () => options.log ?? appLogger;
  const databaseUrl = options.databaseUrl ?? (() => env.DATABASE_URL);
  target.trace = (...args: unknown[]) =>
    log().warn({ source: "console" }, redactConnectionDetails(args.map(describeConsoleArg).join(" "), databaseUrl()));
  for (const method of ["error", "warn"] as const) {
    const original = target[method].bind(target);
    target[method] = (...args: unknown[]) => original(...args.map((arg) => masked(arg, databaseUrl())));
  }
}
