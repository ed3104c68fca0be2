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
const vaultKeys = z.string({ error: "VAULT_KEYS is required" }).transform((raw, ctx) => {
  const keys = new Map<number, Buffer>();
  for (const part of raw
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean)) {
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
  /**
   * Ed25519 public key (64 hex characters, the developer portal's "Public Key") of the platform application:
   * without it the platform's interactions endpoint refuses every request.
   */
  DISCORD_PUBLIC_KEY: optional.pipe(
    z
      .string()
      .regex(/^[0-9a-fA-F]{64}$/, "DISCORD_PUBLIC_KEY must be the application's public key: 64 hex characters")
      .optional(),
  ),
  DISCORD_API_BASE_URL: z.string().url().default("https://discord.com/api/v10"),
  DISCORD_AUTHORIZE_URL: z.string().url().default("https://discord.com/oauth2/authorize"),
  DISCORD_APPROVED_ROLE_NAME: z.string().min(1).max(100).default("Approved"),
  /**
   * Proxies in front of the app that append to X-Forwarded-For; the client address is that many entries from the
   * right. 0 (the default, safe without a proxy): the header is the client's own claim, so no address is recorded.
   */
  TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  /** Retention of the scheduled clean-up (src/lib/maintenance/): audit events older than this are deleted. */
  AUDIT_RETENTION_DAYS: z.coerce.number().int().min(1).max(36_500).default(400),
  /** API Idempotency-Key values are forgotten this long after the application was created. */
  IDEMPOTENCY_KEY_RETENTION_DAYS: z.coerce.number().int().min(1).max(3_650).default(30),
  /** Jobs that used all their attempts (finished re-checks, failed role jobs) are deleted this long after. */
  FAILED_JOB_RETENTION_DAYS: z.coerce.number().int().min(1).max(3_650).default(30),
  /** Rows per clean-up statement: each batch is its own short transaction. */
  CLEANUP_BATCH_SIZE: z.coerce.number().int().min(10).max(50_000).default(1_000),
  // Shares of Discord's invalid-request budget (401/403/429 per 10 minutes; Discord bans the address at 10,000) and
  // other limits, all shared by every process through PostgreSQL (src/lib/rate-limit/). See README "Security".
  DISCORD_INVALID_REQUEST_LIMIT: z.coerce.number().int().min(11).max(9_900).default(9_000),
  /** Part of the limit only admin and applicant sign-in may use: tenants cannot lock everyone out of signing in. */
  DISCORD_INVALID_REQUEST_SIGN_IN_RESERVE: z.coerce.number().int().min(0).max(9_000).default(1_000),
  DISCORD_INVALID_REQUEST_PER_ORG: z.coerce.number().int().min(1).default(300),
  DISCORD_INVALID_REQUEST_PER_USER: z.coerce.number().int().min(1).default(300),
  DISCORD_INVALID_REQUEST_PER_ADDRESS: z.coerce.number().int().min(1).default(50),
  /** Discord's global limit per bot token (requests per second), counted across every process. */
  DISCORD_GLOBAL_REQUESTS_PER_SECOND: z.coerce.number().int().min(1).max(10_000).default(50),
  /** Admin and applicant sign-in starts and callbacks per client address per 10 minutes. */
  RATE_LIMIT_SIGN_IN_PER_ADDRESS: z.coerce.number().int().min(1).default(60),
  /** Public application submissions per client address per 10 minutes. */
  RATE_LIMIT_APPLY_PER_ADDRESS: z.coerce.number().int().min(1).default(20),
  /** Organizations one user may create per 24 hours. */
  RATE_LIMIT_ORG_CREATE_PER_USER: z.coerce.number().int().min(1).default(5),
  /** Bot health and role-list reads from Discord per organization per 10 minutes (answers are cached 30 s). */
  RATE_LIMIT_BOT_READS_PER_ORG: z.coerce.number().int().min(1).default(40),
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
  /** Job slots of the webhook-delivery runner, apart from the runner of every other job (start-worker.ts). */
  WORKER_WEBHOOK_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(5),
  /** Webhook deliveries in flight at once to one endpoint, across every process (endpoint-slots.ts). */
  WEBHOOK_MAX_IN_FLIGHT_PER_ENDPOINT: z.coerce.number().int().min(1).max(50).default(2),
  /** Webhook deliveries to private, loopback and link-local addresses; unset: allowed except in production. */
  WEBHOOK_ALLOW_PRIVATE_DESTINATIONS: z
    .enum(["true", "false"])
    .optional()
    .transform((v) => (v === undefined ? undefined : v === "true")),
});

export type Env = z.infer<typeof envSchema>;

export class EnvError extends Error {
  constructor(
    readonly variables: string[],
    message: string,
  ) {
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
