import { checkDatabase } from "@/lib/health/check-database";
import { json, route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export const GET = route(async () => {
  const database = await checkDatabase();
  return json(
    { status: database === "ok" ? "ok" : "degraded", db: database },
    { status: database === "ok" ? 200 : 503 },
  );
});
