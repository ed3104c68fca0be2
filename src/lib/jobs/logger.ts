// graphile-worker logs through pino (with its redaction) instead of the console.
import { Logger, type LogLevel } from "graphile-worker";
import { logger } from "@/lib/logger";

const LEVEL = { error: "error", warning: "warn", info: "info", debug: "debug" } as const;

export const workerLogger = new Logger((scope) => (level: LogLevel, message: string, meta?: Record<string, unknown>) => {
  const method = LEVEL[level as keyof typeof LEVEL] ?? "info";
  logger[method]({ worker: scope, ...meta }, message);
});
