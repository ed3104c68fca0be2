// Discord's Interactions Endpoint URL of the platform application (verified with DISCORD_PUBLIC_KEY).
import { interactionEndpoint } from "@/lib/discord-review/http";
import { route } from "@/lib/http/route";

export const POST = route(async (request) => interactionEndpoint(request, null));
