// Discord's response conventions: JSON bodies, `{ message, code }` errors with Discord's JSON error codes.

export const DISCORD_ERRORS = {
  UNKNOWN_GUILD: { status: 404, code: 10004, message: "Unknown Guild" },
  UNKNOWN_MEMBER: { status: 404, code: 10007, message: "Unknown Member" },
  UNKNOWN_USER: { status: 404, code: 10013, message: "Unknown User" },
  UNKNOWN_ROLE: { status: 404, code: 10011, message: "Unknown Role" },
  UNKNOWN_CHANNEL: { status: 404, code: 10003, message: "Unknown Channel" },
  UNKNOWN_MESSAGE: { status: 404, code: 10008, message: "Unknown Message" },
  EMPTY_MESSAGE: { status: 400, code: 50006, message: "Cannot send an empty message" },
  NOT_AUTHOR: { status: 403, code: 50005, message: "Cannot edit a message authored by another user" },
  CANNOT_DM_USER: { status: 403, code: 50007, message: "Cannot send messages to this user" },
  NON_TEXT_CHANNEL: { status: 403, code: 50008, message: "Cannot send messages in a non-text channel" },
  UNAUTHORIZED: { status: 401, code: 40001, message: "401: Unauthorized" },
  MISSING_ACCESS: { status: 403, code: 50001, message: "Missing Access" },
  MISSING_PERMISSIONS: { status: 403, code: 50013, message: "Missing Permissions" },
  INVALID_FORM_BODY: { status: 400, code: 50035, message: "Invalid Form Body" },
  NOT_FOUND: { status: 404, code: 0, message: "404: Not Found" },
  METHOD_NOT_ALLOWED: { status: 405, code: 0, message: "405: Method Not Allowed" },
  SERVER_ERROR: { status: 500, code: 0, message: "500: Internal Server Error" },
} as const;

export type DiscordErrorSpec = { status: number; code: number; message: string };

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json", ...headers } });
}

export function noContent(headers: Record<string, string> = {}): Response {
  return new Response(null, { status: 204, headers });
}

export function discordError(spec: DiscordErrorSpec, extra: Record<string, unknown> = {}): Response {
  return json({ message: spec.message, code: spec.code, ...extra }, spec.status);
}

/** A 50035 with Discord's nested `errors` object for one field. */
export function invalidFormBody(field: string, code: string, message: string): Response {
  return discordError(DISCORD_ERRORS.INVALID_FORM_BODY, { errors: { [field]: { _errors: [{ code, message }] } } });
}

/** The default error for a forced status, so an injected fault looks like what Discord sends. */
export function errorForStatus(status: number): DiscordErrorSpec {
  switch (status) {
    case 400:
      return DISCORD_ERRORS.INVALID_FORM_BODY;
    case 401:
      return DISCORD_ERRORS.UNAUTHORIZED;
    case 403:
      return DISCORD_ERRORS.MISSING_PERMISSIONS;
    case 404:
      return DISCORD_ERRORS.NOT_FOUND;
    default:
      return { status, code: 0, message: `${status}: ${status >= 500 ? "Server Error" : "Error"}` };
  }
}

export function rateLimited(input: {
  retryAfterS: number;
  global: boolean;
  headers: Record<string, string>;
}): Response {
  return json(
    {
      message: "You are being rate limited.",
      retry_after: Number(input.retryAfterS.toFixed(3)),
      global: input.global,
      code: 0,
    },
    429,
    input.headers,
  );
}
