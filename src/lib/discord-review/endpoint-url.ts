// The Interactions Endpoint URL an application's owner enters in Discord's developer portal.
import { env } from "@/lib/env";

/** Null: the platform application's URL; an id: the URL of that bring-your-own-bot application. */
export function interactionsEndpointUrl(applicationId: string | null): string {
  const path = applicationId ? `/api/discord/interactions/${applicationId}` : "/api/discord/interactions";
  return new URL(path, env.APP_URL).toString();
}
