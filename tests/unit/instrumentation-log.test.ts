// The in-process job runner waits out an unreachable database (retrying), and a runner that cannot start for any
// other reason is logged; both without the error's message (it can carry the database URL).
import { Writable } from "node:stream";
import { expect, it, vi } from "vitest";

const lines = vi.hoisted(() => [] as string[]);
const attempts = vi.hoisted(() => ({ count: 0 }));
vi.mock("@/lib/logger", async (importOriginal) => {
  const actual = await importOriginal<typeof import("@/lib/logger")>();
  const destination = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
  return { ...actual, logger: actual.createLogger({ level: "info", destination }) };
});
vi.mock("@/worker/start-worker", () => {
  const start = () => {
    attempts.count += 1;
    // First the database is unreachable (retried), then a bug (not retried).
    return Promise.reject(
      attempts.count === 1
        ? Object.assign(new Error("connect postgres://app:hunter2@db:5432/gg failed"), { code: "ECONNREFUSED" })
        : new TypeError("bad config near postgres://app:hunter2@db:5432/gg"),
    );
  };
  // Both runners of the process (the second one's start is the bug); the bug stops the first one's retries too.
  return { WORKER_RUNNERS: [start, start] };
});

it("retries an unreachable database, then logs a start-up failure by name and code only", async () => {
  vi.stubEnv("NEXT_RUNTIME", "nodejs");
  vi.stubEnv("WORKER_IN_PROCESS", "true");
  const { register } = await import("@/instrumentation");
  await register();
  await vi.waitFor(() => expect(lines.join("")).toContain("job runner failed to start"), { timeout: 5_000 });
  expect(attempts.count).toBe(2);
  const out = lines.join("");
  expect(out).toContain("database unreachable, retrying");
  expect(out).toContain("ECONNREFUSED");
  expect(out).toContain("TypeError");
  expect(out).not.toContain("hunter2");
  vi.unstubAllEnvs();
});
