// Structured logs. Every field that can hold a secret is redacted by path, wherever it appears in the first
// three levels of a log object; code also never puts secrets in messages.
import pino from "pino";
import { env } from "@/lib/env";

const SECRET_KEYS = [
  "token",
  "accessToken",
  "access_token",
  "refreshToken",
  "refresh_token",
  "botToken",
  "clientSecret",
  "client_secret",
  "secret",
  "password",
  "authorization",
  "Authorization",
  "cookie",
  "plaintext",
  "ciphertext",
  "code_verifier",
  "codeVerifier",
];

export const REDACT_PATHS = SECRET_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]);

export type CreateLoggerOptions = { level?: string; destination?: pino.DestinationStream };

export function createLogger(options: CreateLoggerOptions = {}): pino.Logger {
  const config = {
    level: options.level ?? env.LOG_LEVEL,
    base: { service: "guildgate" },
    redact: { paths: REDACT_PATHS, censor: "[redacted]" },
  };
  if (options.destination) return pino(config, options.destination);
  // Readable lines in development (pino-pretty, a dev dependency, in pino's transport thread); JSON lines
  // everywhere else, for log shippers. Production never loads pino-pretty.
  if (env.NODE_ENV === "development") {
    return pino({
      ...config,
      transport: { target: "pino-pretty", options: { colorize: true, ignore: "pid,hostname,service" } },
    });
  }
  return pino(config);
}

let instance: pino.Logger | undefined;

/** Created on first use so importing this module does not read the environment. */
export const logger: pino.Logger = new Proxy({} as pino.Logger, {
  get: (_target, key) => {
    instance ??= createLogger();
    const value = Reflect.get(instance, key);
    return typeof value === "function" ? value.bind(instance) : value;
  },
});

export type SafeErrorFields = { name: string; code?: string; stack?: string };

/**
 * What an unexpected error may put in a log: its name, its code and the stack frames. Not the message (nor the
 * stack's first line, which repeats it): redaction works by key, and a message can quote a token or a password.
 */
export function safeErrorFields(error: unknown): SafeErrorFields {
  if (!(error instanceof Error)) return { name: typeof error };
  const code =
    "code" in error && (typeof error.code === "string" || typeof error.code === "number")
      ? String(error.code)
      : undefined;
  const frames = error.stack
    ?.split("\n")
    .filter((line) => /^\s+at /.test(line))
    .join("\n");
  return { name: error.name, ...(code ? { code } : {}), ...(frames ? { stack: frames } : {}) };
}
