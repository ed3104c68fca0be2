// Shared by the server (DatabaseUnavailableError) and the error pages in the browser, which in production see only
// an error's digest, never its message. Kept apart so the pages import nothing else.
export const SERVICE_UNAVAILABLE_DIGEST = "guildgate:service_unavailable";

export function isOutageDigest(error: { digest?: string } | null | undefined): boolean {
  return error?.digest === SERVICE_UNAVAILABLE_DIGEST;
}
