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
  const config = { level: options.level ?? env.LOG_LEVEL, base: { service: "guildgate" }, redact: { paths: REDACT_PATHS, censor: "[redacted]" } };
  return options.destination ? pino(config, options.destination) : pino(config);
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
