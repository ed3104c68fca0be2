// `npm run check:outage`: the production build during a database outage. Starts the e2e stack (scripts/e2e/stack.ts:
// next start with the in-process worker), signs a session in, stops PostgreSQL, then checks that APIs answer 503
// service_unavailable with Retry-After, that pages render the "temporarily unavailable" page (the error digest
// survives the production build, where messages are hidden), that no body names the database, and that the server
// process stays up. E2E_SKIP_BUILD=1 reuses an existing .next-e2e build. Exits 1 on any failed check.
import fs from "node:fs";
import path from "node:path";
import { startStack, type Stack } from "./stack";

const ARTIFACTS = path.resolve("artifacts/outage");
const log = (message: string) => console.log(`[outage] ${message}`);
const failures: string[] = [];
const check = (ok: boolean, what: string) => {
  log(`${ok ? "ok  " : "FAIL"} ${what}`);
  if (!ok) failures.push(what);
};

fs.mkdirSync(ARTIFACTS, { recursive: true });
let stack: Stack | undefined;
try {
  stack = await startStack({ build: process.env.E2E_SKIP_BUILD === "1" ? "if-missing" : "always", serverLog: path.join(ARTIFACTS, "server.log"), log });
  const { baseUrl, db, database } = stack;
  const { createSession } = await import("../../src/lib/security/session");
  const admin = await db.user.findFirstOrThrow({ orderBy: { createdAt: "asc" } });
  const { cookie } = await createSession({ userId: admin.id, db });
  const slug = (await db.organization.findFirstOrThrow()).slug;
  const headers = { cookie: cookie.split(";")[0]! };

  const upSession = await fetch(`${baseUrl}/api/auth/session`, { headers });
  check(upSession.status === 200, `database up: GET /api/auth/session -> ${upSession.status}`);
  const upPage = await fetch(`${baseUrl}/dashboard/${slug}`, { headers });
  check(upPage.status === 200, `database up: GET /dashboard/${slug} -> ${upPage.status}`);

  await database.stop();
  log("PostgreSQL stopped");
  const bodies: string[] = [];
  for (const url of ["/api/auth/session", `/api/orgs/${slug}/applications`]) {
    const response = await fetch(`${baseUrl}${url}`, { headers });
    const body = await response.text();
    bodies.push(body);
    let code: string | undefined;
    try {
      code = (JSON.parse(body) as { error?: { code?: string } }).error?.code;
    } catch {
      code = undefined;
    }
    check(response.status === 503 && code === "service_unavailable", `outage: GET ${url} -> ${response.status} ${code}`);
    check(response.headers.get("retry-after") !== null, `outage: GET ${url} has Retry-After (${response.headers.get("retry-after")})`);
  }
  for (const url of [`/dashboard/${slug}`, "/dashboard", `/apply/${slug}`]) {
    const response = await fetch(`${baseUrl}${url}`, { headers });
    const html = await response.text();
    bodies.push(html);
    fs.writeFileSync(path.join(ARTIFACTS, `${url.replace(/[^a-z0-9]+/gi, "-")}.html`), html);
    check(html.includes("temporarily unavailable"), `outage: GET ${url} renders "temporarily unavailable" (HTTP ${response.status})`);
  }
  check(bodies.every((b) => !b.includes(String(database.port))), "outage: no response names the database port");
  // The in-process worker meets the outage too; the server must still answer.
  await new Promise((r) => setTimeout(r, 8_000));
  const health = await fetch(`${baseUrl}/api/health`).catch(() => undefined);
  check(health?.status === 503, `outage: after 8 s the server still answers /api/health -> ${health?.status}`);
} catch (error) {
  failures.push(String(error));
  console.error(error);
} finally {
  await stack?.stop();
}
log(failures.length ? `${failures.length} check(s) failed` : "all checks passed");
process.exit(failures.length ? 1 : 0);
