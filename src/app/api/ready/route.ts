import { readinessReport } from "@/lib/health/readiness";
import { json, route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export const GET = route(async (request) => {
  const { ready, body } = await readinessReport({ authorization: request.headers.get("authorization") });
  return json(body, { status: ready ? 200 : 503 });
});
