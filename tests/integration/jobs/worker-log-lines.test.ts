// The adapter against graphile-worker's real lines: a real runner completes one job and fails another.
import { Writable } from "node:stream";
import { run } from "graphile-worker";
import { expect, it } from "vitest";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { addJob } from "@/lib/jobs/add-job";
import { createWorkerLogger } from "@/lib/jobs/logger";
import { createLogger } from "@/lib/logger";
import { listJobs, waitFor } from "~tests/helpers/applications";

it("logs completed jobs at debug and failed attempts at warn with id and task, never the payload or the database address", async () => {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({ write: (chunk, _enc, done) => (lines.push(JSON.parse(String(chunk))), done()) });
  const logger = createWorkerLogger({ log: createLogger({ level: "debug", destination }) });
  const runner = await run({
    connectionString: env.DATABASE_URL,
    taskList: {
      "log-ok": async () => {},
      "log-fail": async () => {
        throw Object.assign(new Error(`cannot reach ${env.DATABASE_URL}`), { code: "P1001" });
      },
    },
    concurrency: 1,
    pollInterval: 50,
    noHandleSignals: true,
    logger,
  });
  try {
    const ok = await addJob({ tx: db, identifier: "log-ok", payload: { secretPayload: "payload-AAA".repeat(50) } });
    const failed = await addJob({
      tx: db,
      identifier: "log-fail",
      payload: { secretPayload: "payload-BBB" },
      maxAttempts: 1,
    });
    await waitFor(listJobs, (jobs) => jobs.length === 1 && jobs[0]!.attempts === 1, 20_000);
    await waitFor(
      async () => lines.filter((l) => l.msg === "job attempt failed").length,
      (n) => n === 1,
    );

    const completed = lines.filter((l) => l.msg === "job completed");
    expect(completed).toEqual([expect.objectContaining({ level: 20, jobId: ok.id, task: "log-ok" })]);
    const failures = lines.filter((l) => l.msg === "job attempt failed");
    expect(failures).toEqual([
      expect.objectContaining({
        level: 40,
        jobId: failed.id,
        task: "log-fail",
        attempt: 1,
        maxAttempts: 1,
        err: { name: "Error", code: "P1001" },
      }),
    ]);
    expect(lines.filter((l) => (l.level as number) >= 30 && String(l.msg).includes("Completed task"))).toEqual([]);

    const text = JSON.stringify(lines);
    const url = new URL(env.DATABASE_URL);
    expect(text).not.toContain("payload-AAA");
    expect(text).not.toContain("payload-BBB");
    expect(text).not.toContain(`:${url.port}`);
    expect(text).not.toContain(url.password);
  } finally {
    await runner.stop();
  }
});
