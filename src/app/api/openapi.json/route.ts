// GET /api/openapi.json: the OpenAPI 3.1 description of the public API and the webhooks (public, no secrets).
import { env } from "@/lib/env";
import { route } from "@/lib/http/route";
import { buildOpenApiDocument } from "@/lib/openapi/document";

export const GET = route(async () =>
  Response.json(buildOpenApiDocument({ serverUrl: env.APP_URL }), {
    headers: { "Cache-Control": "public, max-age=300" },
  }),
);
