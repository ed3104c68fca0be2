// Every route handler under src/app goes through route() (directly, or under withAuth): each exported method of
// each route.ts is called with a real anonymous Request and must be counted in guildgate_http_requests_total under
// its route template, and a 4xx must be logged as "request refused" with its code. A handler added without the
// wrapper fails here. Anonymous callers of guarded routes are refused (401, or sign-in for a browser link).
import fs from "node:fs";
import path from "node:path";
import { Writable } from "node:stream";
import { expect, it, vi } from "vitest";
import { processMetrics } from "@/lib/metrics/registry";
import { useDiscordFake } from "~tests/fakes/discord";
import { TEST_ORIGIN } from "~tests/helpers/auth";

const lines = vi.hoisted(() => [] as string[]);
vi.mock("@/lib/logger", async (importOriginal) => {
  const actual = await importOriginal<typeof import("@/lib/logger")>();
  const destination = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
  return { ...actual, logger: actual.createLogger({ level: "info", destination }) };
});

useDiscordFake();

const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;
const APP = path.resolve("src/app");

function routeFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return routeFiles(full);
    return /^route\.(ts|tsx|js)$/.test(entry.name) ? [full] : [];
  });
}

/** `/api/orgs/[slug]/tokens/[id]` -> its URL with one distinct value per dynamic segment, and the params. */
function requestFor(template: string) {
  const params: Record<string, string> = {};
  const pathname = template.replace(/\[([^\]/]+)\]/g, (_match, name: string) => {
    params[name] = `x-${name.toLowerCase()}`;
    return params[name]!;
  });
  return { url: new URL(pathname, TEST_ORIGIN), params };
}

async function countOf(template: string, method: string): Promise<Map<string, number>> {
  const { values } = await processMetrics().httpRequests.get();
  const byStatus = new Map<string, number>();
  for (const v of values) {
    if (v.labels.route === template && v.labels.method === method) byStatus.set(String(v.labels.status), v.value);
  }
  return byStatus;
}

type LogLine = { msg: string; route?: string; method?: string; status?: number; code?: string };
const logged = (): LogLine[] => lines.map((line) => JSON.parse(line) as LogLine);

it("counts every exported handler of every route file, and logs each refusal with its code", async () => {
  const files = routeFiles(APP);
  let handlers = 0;
  for (const file of files) {
    const template = path.dirname(path.relative(APP, file)).split(path.sep).join("/").replace(/^/, "/");
    const mod = (await import(file)) as Record<string, unknown>;
    const source = fs.readFileSync(file, "utf8");
    const guarded = /\bwithAuth\(|\bwithAuth</.test(source) || /^export \{ \w+ \} from/m.test(source);
    for (const method of METHODS) {
      const handler = mod[method];
      if (handler === undefined) continue;
      expect(handler, `${method} ${template}`).toBeTypeOf("function");
      handlers += 1;
      const { url, params } = requestFor(template);
      const before = await countOf(template, method);
      lines.length = 0;
      const response = await (handler as (r: Request, c: unknown) => Promise<Response>)(
        new Request(url, { method, headers: { origin: TEST_ORIGIN } }),
        { params: Promise.resolve(params) },
      );
      const status = String(response.status);
      const after = await countOf(template, method);
      expect.soft((after.get(status) ?? 0) - (before.get(status) ?? 0), `${method} ${template} counted`).toBe(1);

      if (response.status >= 400 && response.status < 500) {
        const body = (await response.clone().json()) as { error: { code: string } };
        const refused = logged().find((line) => line.msg === "request refused");
        expect.soft(refused, `${method} ${template} refusal logged`).toMatchObject({
          route: template,
          method,
          status: response.status,
          code: body.error.code,
        });
      }
      if (guarded) {
        // Anonymous: refused as unauthenticated, or sent to sign-in when a browser follows a link.
        const location = response.headers.get("location") ?? "";
        expect
          .soft(
            response.status === 401 || (response.status === 303 && location.includes("/signin")),
            `${method} ${template} refuses an anonymous caller (got ${response.status})`,
          )
          .toBe(true);
      }
    }
  }
  // The enumeration found the app's handlers (a broken glob must not pass vacuously).
  expect(files.length).toBeGreaterThanOrEqual(60);
  expect(handlers).toBeGreaterThanOrEqual(80);
});
