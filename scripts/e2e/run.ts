// `npm run test:e2e`: the production build in a real Chromium. Installs nothing: it finds Debian's Chromium, starts
// the stack (scripts/e2e/stack.ts: build, embedded database, Discord sandbox, next start), runs the journeys in
// tests/e2e/journeys.ts with playwright-core (and the checks of tests/e2e/production-checks.ts), saves screenshots into artifacts/e2e/, and stops everything.
// E2E_SKIP_BUILD=1 reuses an existing .next-e2e build; E2E_ONLY=<text> runs the journeys whose name contains it.
import fs from "node:fs";
import path from "node:path";
import { chromium, type Browser } from "playwright-core";
import { JOURNEYS, type JourneyContext } from "../../tests/e2e/journeys";
import { PRODUCTION_CHECKS } from "../../tests/e2e/production-checks";
import { startStack, type Stack } from "./stack";

const ARTIFACTS = path.resolve("artifacts/e2e");
const CHROMIUM_CANDIDATES = [
  process.env.CHROMIUM_PATH,
  "/usr/lib/chromium/chromium",
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
];
// From ARCHITECTURE.md: the binary behind Debian's wrapper, no sandbox as root, no GPU, nothing that phones home.
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
  "--disable-dev-shm-usage",
];

const log = (message: string) => console.log(`[e2e] ${message}`);
const startedAt = Date.now();

function findChromium(): string {
  const found = CHROMIUM_CANDIDATES.find((p) => p && fs.existsSync(p));
  if (!found)
    throw new Error(
      "Chromium not found. Install it with `apt-get install -y chromium` (CI does) or set CHROMIUM_PATH.",
    );
  return found;
}

fs.rmSync(ARTIFACTS, { recursive: true, force: true });
fs.mkdirSync(ARTIFACTS, { recursive: true });
let stack: Stack | undefined;
let browser: Browser | undefined;
let failed = 0;
let passed = 0;

try {
  const executablePath = findChromium();
  stack = await startStack({
    build: process.env.E2E_SKIP_BUILD === "1" ? "if-missing" : "always",
    serverLog: path.join(ARTIFACTS, "server.log"),
    log,
  });
  const { baseUrl, sandbox, db } = stack;
  browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true });
  const only = process.env.E2E_ONLY;
  // The journeys, then the failure paths checked against the production build (tests/e2e/production-checks.ts).
  const journeys = [...JOURNEYS, ...PRODUCTION_CHECKS].filter((j) => !only || j.name.includes(only));
  const shared: JourneyContext["shared"] = {};
  for (const journey of journeys) {
    const t = Date.now();
    const context = await browser.newContext({ baseURL: baseUrl, viewport: { width: 1280, height: 860 } });
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseUrl });
    const slug = journey.name
      .replace(/[^a-z0-9]+/gi, "-")
      .toLowerCase()
      .replace(/^-|-$/g, "");
    let shot = 0;
    const ctx: JourneyContext = {
      browser,
      context,
      baseUrl,
      sandboxUrl: sandbox.url,
      sandbox,
      db,
      shared,
      screenshot: async (page, name) => {
        shot++;
        await page.screenshot({
          path: path.join(ARTIFACTS, `${slug}-${String(shot).padStart(2, "0")}-${name}.png`),
          fullPage: true,
        });
      },
      log: (message) => log(`  ${message}`),
    };
    try {
      await journey.run(ctx);
      passed++;
      log(`PASS ${journey.name} (${((Date.now() - t) / 1000).toFixed(1)} s)`);
    } catch (error) {
      failed++;
      log(`FAIL ${journey.name}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      for (const page of context.pages()) {
        await page.screenshot({ path: path.join(ARTIFACTS, `${slug}-FAILED.png`), fullPage: true }).catch(() => {});
      }
    } finally {
      await context.close();
    }
  }
  log(
    `${journeys.length - failed} of ${journeys.length} journeys passed in ${Math.round((Date.now() - startedAt) / 1000)} s; screenshots in artifacts/e2e/`,
  );
} catch (error) {
  failed++;
  log(`setup failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
} finally {
  await browser?.close().catch(() => {});
  await stack?.stop();
}
// The plain closing line CI reads as the e2e result.
console.log(`e2e: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
