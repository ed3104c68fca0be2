// The one place that reads process.env. Parsed once, on first use (the server calls loadEnv() at boot from
// instrumentation.ts, so a bad environment stops start-up with the variable's name).
import { z } from "zod";

const WEAK_SECRETS = new Set(["changeme", "change-me", "secret", "your-secret-here", "development"]);

const secret = (name: string) =>
  z
    .string({ error: `${name} is required` })
    .min(32, `${name} must be at least 32 characters`)
    .refine((v) => !WEAK_SECRETS.has(v.toLowerCase()) && new Set(v).size >= 8, `${name} is too weak`);

/** `3:<base64 32 bytes>,2:<base64 32 bytes>`: every listed version decrypts, the highest encrypts. */
const vaultKeys = z
  .string({ error: "VAULT_KEYS is required" })
  .transform((raw, ctx) => {
    const keys = new Map<number, Buffer>();
    for (const part of raw.split(",").map((p) => p.trim()).filter(Boolean)) {
      const match = /^(\d{1,6}):([A-Za-z0-9+/=_-]+)$/.exec(part);
      const key = match ? Buffer.from(match[2]!, "base64") : undefined;
      if (!match || !key || key.length !== 32) {
        ctx.addIssue({ code: "custom", message: "VAULT_KEYS entries must be <version>:<base64 of 32 random bytes>" });
        return z.NEVER;
      }
      keys.set(Number(match[1]), key);
    }
    if (keys.size === 0) {
      ctx.addIssue({ code: "custom", message: "VAULT_KEYS must list at least one key" });
      return z.NEVER;
    }
    return keys;
  });

const optional = z
  .string()
  .optional()
  .transform((v) => (v === "" ? undefined : v));

export const envSchema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  DATABASE_URL: z.string({ error: "DATABASE_URL is required" }).url("DATABASE_URL must be a URL"),
  APP_URL: z.string().url("APP_URL must be a URL").default("http://localhost:3000"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  STATE_SIGNING_SECRET: secret("STATE_SIGNING_SECRET"),
  VAULT_KEYS: vaultKeys,
  DISCORD_CLIENT_ID: optional,
  DISCORD_CLIENT_SECRET: optional,
  /** The platform bot, used for guilds whose organization has no bot of its own. */
  DISCORD_TOKEN: optional,
  DISCORD_API_BASE_URL: z.string().url().default("https://discord.com/api/v10"),
  DISCORD_AUTHORIZE_URL: z.string().url().default("https://discord.com/oauth2/authorize"),
  DISCORD_APPROVED_ROLE_NAME: z.string().min(1).max(100).default("Approved"),
  /** Proxies in front of the app that append to X-Forwarded-For; the client address is that many entries from the right. */
  TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(1),
  /** Bearer token Prometheus sends to /api/metrics; without it (and METRICS_PUBLIC) the endpoint answers 404. */
  METRICS_TOKEN: optional.pipe(z.string().min(32, "METRICS_TOKEN must be at least 32 characters").optional()),
  /** Serve /api/metrics without a token (only where the endpoint is reachable from a private network alone). */
  METRICS_PUBLIC: z
    .enum(["true", "false"])
    .default("false")
    .transform((v) => v === "true"),
  /** Run the job worker inside the web server (false when `npm run worker` runs separately). */
  WORKER_IN_PROCESS: z
    .enum(["true", "false"])
    .default("true")
    .transform((v) => v === "true"),
});

export type Env = z.infer<typeof envSchema>;

export class EnvError extends Error {
  constructor(readonly variables: string[], message: string) {
    super(message);
    this.name = "EnvError";
  }
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    const variables = [...new Set(result.error.issues.map((i) => String(i.path[0])))];
    const lines = result.error.issues.map((i) => `  ${String(i.path[0])}: ${i.message}`);
    throw new EnvError(variables, `Invalid environment:\n${lines.join("\n")}`);
  }
  return result.data;
}

let cached: Env | undefined;

export function loadEnv(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** Typed, lazily validated access: `env.DATABASE_URL`. */
export const env: Env = new Proxy({} as Env, {
  get: (_target, key) => loadEnv()[key as keyof Env],
});

/** Tests that change the environment call this to re-read it. */
export function resetEnvCache(): void {
  cached = undefined;
}
