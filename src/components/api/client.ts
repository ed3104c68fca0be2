// The dashboard's calls to its own API: JSON in and out, same-origin cookies, and failures as ApiError carrying
// the stable code and the server's message (which is written for people).

export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export type ApiRequestOptions = {
  method?: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  body?: unknown;
  signal?: AbortSignal;
};

export async function apiFetch<T = unknown>(url: string, options: ApiRequestOptions = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(typeof location === "undefined" ? url : new URL(url, location.href).toString(), {
      method: options.method ?? "GET",
      credentials: "same-origin",
      headers: {
        accept: "application/json",
        ...(options.body !== undefined ? { "content-type": "application/json" } : {}),
      },
      body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.code === DOMException.ABORT_ERR) throw error;
    throw new ApiError("network_error", "Could not reach Guildgate. Check your connection and try again.", 0);
  }
  if (response.status === 204) return undefined as T;
  const body = (await response.json().catch(() => null)) as {
    error?: { code?: string; message?: string; details?: unknown };
  } | null;
  if (!response.ok) {
    const error = body?.error;
    throw new ApiError(
      error?.code ?? "http_error",
      error?.message ?? `The request failed (HTTP ${response.status}).`,
      response.status,
      error?.details,
    );
  }
  return body as T;
}

export type FieldProblem = { path: string; message: string };

/** The per-field problems of a 400 `validation_failed` (the server words them; see src/lib/errors/issue-words.ts). */
export function fieldProblems(error: unknown): FieldProblem[] {
  if (!(error instanceof ApiError) || !Array.isArray(error.details)) return [];
  return (error.details as Partial<FieldProblem>[]).flatMap((d) =>
    typeof d?.message === "string" ? [{ path: String(d.path ?? ""), message: d.message }] : [],
  );
}

/**
 * A one-line message for a toast or an inline error, in words. A field problem is named by its label when the
 * caller gives one (`{ discordUserId: "Discord user id" }`), never by its JSON path.
 */
export function describeApiError(error: unknown, labels: Record<string, string> = {}): string {
  if (!(error instanceof ApiError)) return "Something went wrong. Try again.";
  const first = fieldProblems(error)[0];
  if (!first) return error.message;
  const label = labels[first.path];
  return label ? `${label}: ${first.message}` : first.message;
}
