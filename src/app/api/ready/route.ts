import { checkReadiness } from "@/lib/health/readiness";
import { json, route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export const GET = route(async () => {
  const readiness = await checkReadiness();
  const { ready, ...checks } = readiness;
  return json({ status: ready ? "ready" : "not_ready", ...checks }, { status: ready ? 200 : 503 });
});
