import { route } from "@/lib/http/route";
import { assertMetricsAccess, renderMetrics } from "@/lib/health/metrics-scrape";

export const dynamic = "force-dynamic";

export const GET = route(async (request) => {
  assertMetricsAccess({ authorization: request.headers.get("authorization") });
  const { contentType, body } = await renderMetrics();
  return new Response(body, { headers: { "Content-Type": contentType, "Cache-Control": "no-store" } });
});
