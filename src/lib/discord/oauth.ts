// OAuth2 token endpoint calls (authorization_code, refresh_token) with the platform application's credentials, or an
// organization's own application's (bring your own bot): a grant can only be used with the application it was issued to.
// The client secret, code and tokens go only into the request body; errors carry the status and the OAuth error.
import { z } from "zod";
import { env } from "@/lib/env";
import { DiscordApiError, DiscordNetworkError, DiscordTimeoutError, isAbortOrTimeout } from "./errors";
import {
  assertDiscordBudget,
  chargeCaller,
  type DiscordCaller,
  isInvalidResponse,
  recordInvalidResponse,
} from "./invalid-requests";

const TOKEN_PATH = "/oauth2/token";

const tokenResponse = z.object({
  access_token: z.string().min(1),
  token_type: z.string(),
  expires_in: z.number().int().positive(),
  refresh_token: z.string().min(1).optional(),
  scope: z.string().default(""),
  /** Present for an advanced bot authorization: the guild the bot was added to. */
  guild: z.object({ id: z.string(), name: z.string() }).loose().optional(),
});

export type DiscordTokenGrant = {
  accessToken: string;
  refreshToken: string | null;
  tokenType: string;
  expiresAt: Date;
  scopes: string[];
  guild: { id: string; name: string } | null;
};

export type ExchangeCodeOptions = {
  code: string;
  redirectUri: string;
  /** PKCE: the verifier whose S256 challenge went to the authorize URL (admin sign-in). */
  codeVerifier?: string;
  /** An organization's own application (bring your own bot); default the platform's. */
  credentials?: OAuthClientCredentials;
  timeoutMs?: number;
  /** On whose behalf (sign-in callers may use the reserved part of the invalid-request budget). */
  caller?: DiscordCaller;
};
export type OAuthClientCredentials = { clientId: string; clientSecret: string };
export type RefreshAccessTokenOptions = {
  refreshToken: string;
  /** The application the grant was issued to (bring your own bot); default the platform's. */
  credentials?: OAuthClientCredentials;
  timeoutMs?: number;
  caller?: DiscordCaller;
};

/** authorization_code: the code Discord's redirect carried, for the redirect URI it was issued to. */
export function exchangeCode(options: ExchangeCodeOptions): Promise<DiscordTokenGrant> {
  const fields: Record<string, string> = {
    grant_type: "authorization_code",
    code: options.code,
    redirect_uri: options.redirectUri,
  };
  if (options.codeVerifier) fields.code_verifier = options.codeVerifier;
  return postToken(fields, options);
}

/** refresh_token: Discord rotates the refresh token, so store both returned tokens. */
export function refreshAccessToken(options: RefreshAccessTokenOptions): Promise<DiscordTokenGrant> {
  return postToken({ grant_type: "refresh_token", refresh_token: options.refreshToken }, options);
}

type PostTokenOptions = { timeoutMs?: number; credentials?: OAuthClientCredentials; caller?: DiscordCaller };

async function postToken(
  fields: Record<string, string>,
  { timeoutMs = 10_000, credentials, caller }: PostTokenOptions,
): Promise<DiscordTokenGrant> {
  const clientId = credentials?.clientId ?? env.DISCORD_CLIENT_ID;
  const clientSecret = credentials?.clientSecret ?? env.DISCORD_CLIENT_SECRET;
  if (!clientId || !clientSecret)
    throw new DiscordNetworkError("POST", TOKEN_PATH, "DISCORD_CLIENT_ID / DISCORD_CLIENT_SECRET not configured");
  await assertDiscordBudget(caller, "POST", TOKEN_PATH);
  const started = Date.now();
  let response: Response;
  try {
    response = await fetch(`${env.DISCORD_API_BASE_URL.replace(/\/+$/, "")}${TOKEN_PATH}`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
      body: new URLSearchParams({ client_id: clientId, client_secret: clientSecret, ...fields }),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    if (isAbortOrTimeout(error) || Date.now() - started >= timeoutMs) {
      throw new DiscordTimeoutError("POST", TOKEN_PATH, timeoutMs);
    }
    // Only the error class, never the message (it can echo the request).
    throw new DiscordNetworkError("POST", TOKEN_PATH, error instanceof Error ? error.name : "network error");
  }
  if (isInvalidResponse(response.status, response.headers.get("x-ratelimit-scope"))) {
    await Promise.all([recordInvalidResponse(), chargeCaller(caller)]);
  }
  const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok) {
    throw new DiscordApiError({
      status: response.status,
      code: typeof body.code === "number" ? body.code : 0,
      // error_description is Discord's fixed text ("Invalid \"code\" in request."), never an echo of the secret.
      message:
        typeof body.error_description === "string"
          ? body.error_description
          : typeof body.message === "string"
            ? body.message
            : "token request failed",
      oauthError: typeof body.error === "string" ? body.error : undefined,
      method: "POST",
      path: TOKEN_PATH,
      retryAfter: typeof body.retry_after === "number" ? body.retry_after : undefined,
    });
  }
  const parsed = tokenResponse.safeParse(body);
  if (!parsed.success) throw new DiscordNetworkError("POST", TOKEN_PATH, "unexpected token response");
  const grant = parsed.data;
  return {
    accessToken: grant.access_token,
    refreshToken: grant.refresh_token ?? null,
    tokenType: grant.token_type,
    expiresAt: new Date(Date.now() + grant.expires_in * 1000),
    scopes: grant.scope.split(" ").filter(Boolean),
    guild: grant.guild ? { id: grant.guild.id, name: grant.guild.name } : null,
  };
}
