// A job runner that fails to start is logged without the error's message (it can carry the database URL).
import { Writable } from "node:stream";
import { expect, it, vi } from "vitest";

const lines = vi.hoisted(() => [] as string[]);
vi.mock("@/lib/logger", async (importOriginal) => {
  const actual = await importOriginal<typeof import("@/lib/logger")>();
  const destination = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
  return { ...actual, logger: actual.createLogger({ level: "info", destination }) };
});
vi.mock("@/lib/jobs/start-worker", () => ({
  startWorker: () => Promise.reject(Object.assign(new Error("connect postgres://app:hunter2@db:5432/gg failed"), { code: "ECONNREFUSED" })),
}));

it("logs the start-up failure by name and code only", async () => {
  vi.stubEnv("NEXT_RUNTIME", "nodejs");
  vi.stubEnv("WORKER_IN_PROCESS", "true");
  const { register } = await import("@/instrumentation");
  await register();
  await vi.waitFor(() => expect(lines.join("")).toContain("job runner failed to start"));
  const out = lines.join("");
  expect(out).not.toContain("hunter2");
  expect(out).toContain("ECONNREFUSED");
  vi.unstubAllEnvs();
});
