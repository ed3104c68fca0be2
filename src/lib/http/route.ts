// The one wrapper every route handler goes through, directly (public routes) or under withAuth
// (src/lib/security/guard.ts), so every request is counted and every refusal logged. It turns zod errors into 400
// with field details, AppError into its status, and anything else into a 500 that carries a request id and no
// internal text.
import { randomUUID } from "node:crypto";
import { ZodError, type ZodType } from "zod";
import { AppError, isAppError } from "@/lib/errors/app-error";
import { asServiceUnavailable } from "@/lib/errors/database-unavailable";
import { issueInWords, summarizeIssues } from "@/lib/errors/issue-words";
import { hasLoneSurrogate, hasNul } from "@/lib/http/input";
import { logger, safeErrorFields } from "@/lib/logger";
import { metrics } from "@/lib/metrics";

export type RouteContext<P = Record<string, string>> = { params: Promise<P> };
export type RouteHandler<P> = (request: Request, context: RouteContext<P>) => Promise<Response>;
/** What route() wraps: a handler that may use the request id route() chose (the guard puts it in its context). */
export type ObservedHandler<P> = (request: Request, context: RouteContext<P>, requestId: string) => Promise<Response>;

const REQUEST_ID = /^[A-Za-z0-9-]{8,64}$/;

export function requestIdOf(request: Request): string {
  const given = request.headers.get("x-request-id");
  return given && REQUEST_ID.test(given) ? given : randomUUID();
}

export type ErrorBody = { error: { code: string; message: string; details?: unknown; requestId: string } };

export function errorResponse(thrown: unknown, requestId: string): Response {
  // A database outage is a 503 with Retry-After, not a bug (src/lib/errors/database-unavailable.ts).
  const error = asServiceUnavailable(thrown);
  if (error instanceof ZodError) {
    const details = error.issues.map((i) => ({ path: i.path.join("."), message: issueInWords(i) }));
    return json<ErrorBody>(
      { error: { code: "validation_failed", message: summarizeIssues(details), details, requestId } },
      { status: 400, requestId },
    );
  }
  if (isAppError(error)) {
    const headers: Record<string, string> = {};
    if (error.retryAfter !== undefined) headers["Retry-After"] = String(Math.ceil(error.retryAfter));
    if (error.status >= 500) logger.warn({ requestId, code: error.code }, error.message);
    return json<ErrorBody>(
      { error: { code: error.code, message: error.message, details: error.details, requestId } },
      { status: error.status, requestId, headers },
    );
  }
  // Unexpected: log name, code and stack frames (never the message, which may quote a secret); the caller gets
  // only the request id.
  logger.error({ requestId, err: safeErrorFields(error) }, "unhandled error in route");
  return json<ErrorBody>(
    { error: { code: "internal_error", message: "Something went wrong on our side.", requestId } },
    { status: 500, requestId },
  );
}

export function json<T>(body: T, init: { status?: number; requestId?: string; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { "Cache-Control": "no-store", ...init.headers };
  if (init.requestId) headers["X-Request-Id"] = init.requestId;
  return Response.json(body, { status: init.status ?? 200, headers });
}

export function route<P = Record<string, string>>(handler: ObservedHandler<P>): RouteHandler<P> {
  return async (request, context) => {
    const requestId = requestIdOf(request);
    const started = performance.now();
    let response: Response;
    try {
      response = await handler(request, context, requestId);
      if (!response.headers.has("X-Request-Id")) {
        try {
          response.headers.set("X-Request-Id", requestId);
        } catch {
          // Redirect responses have immutable headers; the id is only a convenience there.
        }
      }
    } catch (error) {
      response = errorResponse(error, requestId);
    }
    await observe(request, context, response, requestId, performance.now() - started);
    return response;
  };
}

/** Metrics for every request, and an info line for every 4xx with its code and request id. Never throws. */
async function observe(
  request: Request,
  context: RouteContext<unknown> | undefined,
  response: Response,
  requestId: string,
  ms: number,
) {
  try {
    const routeLabel = routeTemplate(new URL(request.url).pathname, await context?.params);
    metrics.httpRequest({ route: routeLabel, method: request.method, status: response.status, seconds: ms / 1000 });
    if (response.status >= 400 && response.status < 500) {
      const code = await errorCodeOf(response);
      logger.info(
        { requestId, method: request.method, route: routeLabel, status: response.status, code },
        "request refused",
      );
    }
  } catch {
    // Observing must never change the response.
  }
}

/** The path with each dynamic segment put back as its [name], so labels stay few: /api/orgs/[slug]/tokens. */
export function routeTemplate(pathname: string, params: unknown): string {
  const values = new Map<string, string>();
  if (params && typeof params === "object") {
    for (const [name, value] of Object.entries(params)) if (typeof value === "string") values.set(value, name);
  }
  return pathname
    .split("/")
    .map((segment) => {
      const name = values.get(decodeURIComponentSafe(segment));
      return name ? `[${name}]` : segment;
    })
    .join("/");
}

function decodeURIComponentSafe(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

async function errorCodeOf(response: Response): Promise<string | undefined> {
  if (!/^application\/json\b/i.test(response.headers.get("content-type") ?? "")) return undefined;
  const body = (await response
    .clone()
    .json()
    .catch(() => null)) as { error?: { code?: unknown } } | null;
  return typeof body?.error?.code === "string" ? body.error.code : undefined;
}

/**
 * Reads and validates a query string: every parameter (name and value) must be text PostgreSQL can hold, else 400
 * `invalid_text` before anything runs. Without it a `?q=%00` reached the search as a 500 (PostgreSQL 22021), and
 * a streamed CSV export had already sent 200 when the query failed (issue 23 item 5).
 */
export function readQuery<T>(request: Request, schema: ZodType<T>): T {
  const params = new URL(request.url).searchParams;
  for (const [key, value] of params) {
    if (hasNul(key) || hasNul(value) || hasLoneSurrogate(key) || hasLoneSurrogate(value)) {
      throw new AppError(
        "invalid_text",
        "The query string must be plain text: it contains a NUL (%00) character or an unpaired UTF-16 surrogate.",
      );
    }
  }
  return schema.parse(Object.fromEntries(params));
}

export type ReadJsonOptions = { maxBytes?: number };

/** Reads and validates a JSON body: 415 when not JSON, 413 past the limit, 400 `invalid_json` when unparsable. */
export async function readJson<T>(request: Request, schema: ZodType<T>, options: ReadJsonOptions = {}): Promise<T> {
  const maxBytes = options.maxBytes ?? 16 * 1024;
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/json\b/i.test(type)) {
    throw new AppError("unsupported_media_type", "Send the body as application/json.");
  }
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > maxBytes) throw tooLarge(maxBytes);
  const text = await readTextLimited(request, maxBytes);
  let raw: unknown;
  try {
    raw = JSON.parse(text, refuseUnstorableText);
  } catch (error) {
    if (isAppError(error)) throw error;
    throw new AppError("invalid_json", "The body is not valid JSON.");
  }
  return schema.parse(raw);
}

/**
 * JSON.parse reviver: PostgreSQL text cannot hold U+0000 and Prisma refuses lone UTF-16 surrogates ("\\ud800"), so
 * a string or key with either is refused here, before any write, on every route that reads a JSON body.
 */
function refuseUnstorableText(key: string, value: unknown): unknown {
  if (hasNul(key) || (typeof value === "string" && hasNul(value))) {
    throw new AppError("invalid_json", "Text in the body must not contain NUL (\\u0000) characters.");
  }
  if (hasLoneSurrogate(key) || (typeof value === "string" && hasLoneSurrogate(value))) {
    throw new AppError(
      "invalid_text",
      "Text in the body must be valid Unicode: it contains an unpaired UTF-16 surrogate.",
    );
  }
  return value;
}

function tooLarge(maxBytes: number) {
  return new AppError("payload_too_large", `The body must be at most ${maxBytes} bytes.`, { details: { maxBytes } });
}

export async function readTextLimited(request: Request, maxBytes: number): Promise<string> {
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}
