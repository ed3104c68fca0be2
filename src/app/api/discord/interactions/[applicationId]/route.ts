// The Interactions Endpoint URL of an organization's own bot application (verified with the public key the
// organization entered for it).
import { interactionEndpoint } from "@/lib/discord-review/http";
import { route } from "@/lib/http/route";

type Params = { applicationId: string };

export const POST = route<Params>(async (request, { params }) =>
  interactionEndpoint(request, (await params).applicationId),
);
