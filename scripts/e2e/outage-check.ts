// `npm run check:outage`: the production build during a database outage. Starts the e2e stack (scripts/e2e/stack.ts:
// next start with the in-process worker), signs a session in, stops PostgreSQL, then checks that APIs answer 503
// service_unavailable with Retry-After, that pages render the "temporarily unavailable" page (the error digest
// survives the production build, where messages are hidden), that no body names the database, and that the server
// process stays up. E2E_SKIP_BUILD=1 reuses an existing .next-e2e build. Exits 1 on any failed check.
import fs from "node:fs";
import path from "node:path";
import { chromium, type Browser } from "playwright-core";
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
let browser: Browser | undefined;
try {
  stack = await startStack({
    build: process.env.E2E_SKIP_BUILD === "1" ? "if-missing" : "always",
    serverLog: path.join(ARTIFACTS, "server.log"),
    log,
  });
  const { baseUrl, db, database } = stack;
  const { createSession } = await import("../../src/lib/security/session");
  const organization = await db.organization.findFirstOrThrow();
  const slug = organization.slug;
  const admin = await db.user.create({ data: { discordUserId: "1300000000000000001", name: "Outage Admin" } });
  await db.membership.create({ data: { userId: admin.id, organizationId: organization.id, role: "OWNER" } });
  const { cookie } = await createSession({ userId: admin.id, db });
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
    check(
      response.status === 503 && code === "service_unavailable",
      `outage: GET ${url} -> ${response.status} ${code}`,
    );
    check(
      response.headers.get("retry-after") !== null,
      `outage: GET ${url} has Retry-After (${response.headers.get("retry-after")})`,
    );
  }
  // A page's server error reaches the browser as an error shell (HTTP 500) plus the RSC payload with the error's
  // digest; error.tsx renders in the browser. So the pages are checked in Chromium, as a visitor sees them.
  const executablePath = ["/usr/lib/chromium/chromium", "/usr/bin/chromium"].find((p) => fs.existsSync(p));
  if (!executablePath) throw new Error("Chromium not found (apt-get install -y chromium)");
  browser = await chromium.launch({
    executablePath,
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
    headless: true,
  });
  const context = await browser.newContext({ baseURL: baseUrl });
  const [name, value] = headers.cookie.split("=") as [string, string];
  await context.addCookies([{ name, value, url: baseUrl }]);
  for (const url of [`/dashboard/${slug}`, "/dashboard", `/apply/${slug}`]) {
    const page = await context.newPage();
    const response = await page.goto(url);
    const heading = page.getByRole("heading", { name: "Guildgate is temporarily unavailable" });
    const shown = await heading.waitFor({ timeout: 20_000 }).then(
      () => true,
      () => false,
    );
    const text = await page.locator("body").innerText();
    bodies.push(text, await page.content());
    await page.screenshot({ path: path.join(ARTIFACTS, `${url.replace(/[^a-z0-9]+/gi, "-")}.png`), fullPage: true });
    check(
      shown && text.includes("Try again"),
      `outage: ${url} shows "Guildgate is temporarily unavailable" with a retry (HTTP ${response?.status()})`,
    );
    await page.close();
  }
  check(
    bodies.every((b) => !b.includes(String(database.port))),
    "outage: no response names the database port",
  );
  // The in-process worker meets the outage too; the server must still answer.
  await new Promise((r) => setTimeout(r, 8_000));
  const health = await fetch(`${baseUrl}/api/health`).catch(() => undefined);
  check(health?.status === 503, `outage: after 8 s the server still answers /api/health -> ${health?.status}`);
} catch (error) {
  failures.push(String(error));
  console.error(error);
} finally {
  await browser?.close();
  await stack?.stop();
}
log(failures.length ? `${failures.length} check(s) failed` : "all checks passed");
process.exit(failures.length ? 1 : 0);
