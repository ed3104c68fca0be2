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

export type ApiRequestOptions = { method?: "GET" | "POST" | "PATCH" | "PUT" | "DELETE"; body?: unknown; signal?: AbortSignal };

export async function apiFetch<T = unknown>(url: string, options: ApiRequestOptions = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(typeof location === "undefined" ? url : new URL(url, location.href).toString(), {
      method: options.method ?? "GET",
      credentials: "same-origin",
      headers: { accept: "application/json", ...(options.body !== undefined ? { "content-type": "application/json" } : {}) },
      body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === "AbortError") throw error;
    throw new ApiError("network_error", "Could not reach Guildgate. Check your connection and try again.", 0);
  }
  if (response.status === 204) return undefined as T;
  const body = (await response.json().catch(() => null)) as { error?: { code?: string; message?: string; details?: unknown } } | null;
  if (!response.ok) {
    const error = body?.error;
    throw new ApiError(error?.code ?? "http_error", error?.message ?? `The request failed (HTTP ${response.status}).`, response.status, error?.details);
  }
  return body as T;
}

/** A one-line message for a toast or an inline error, including the first field problem when there is one. */
export function describeApiError(error: unknown): string {
  if (!(error instanceof ApiError)) return "Something went wrong. Try again.";
  const details = Array.isArray(error.details) ? (error.details as { path?: string; message?: string }[]) : [];
  const first = details[0];
  return first?.message ? `${error.message} (${first.path ? `${first.path}: ` : ""}${first.message})` : error.message;
}
