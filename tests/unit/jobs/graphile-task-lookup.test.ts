// graphile-worker 0.17.3 caches its task-identifier lookup as a promise before it settles, so one failed lookup (the
// database going away in a runner's first seconds) was returned to every later fetch: the runner never fetched
// again (issue 24). patches/graphile-worker+0.17.3.patch forgets a failed lookup; this holds the library to it.
import { getTaskDetails } from "graphile-worker/dist/taskIdentifiers";
import { describe, expect, it } from "vitest";

type Query = { text: string; values: unknown[] };

describe("graphile-worker task lookup (patched)", () => {
  it("asks the database again after a failed lookup instead of returning the cached rejection", async () => {
    const options = { escapedWorkerSchema: '"graphile_worker"' } as never;
    let calls = 0;
    const withPgClient = {
      withRetries: async (fn: (client: { query: (q: Query) => Promise<unknown> }) => Promise<unknown>) => {
        calls += 1;
        if (calls === 1) throw Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
        return fn({ query: async () => ({ rows: [{ id: 7, identifier: "noop" }] }) });
      },
    } as never;
    const tasks = { noop: async () => {} };

    await expect(getTaskDetails(options, withPgClient, tasks)).rejects.toThrow("ECONNREFUSED");
    await expect(getTaskDetails(options, withPgClient, tasks)).resolves.toEqual({
      supportedTaskIdentifierByTaskId: { 7: "noop" },
      taskIds: [7],
    });
    expect(calls).toBe(2);
    // Once known, the lookup is not repeated.
    expect(getTaskDetails(options, withPgClient, tasks)).toEqual({
      supportedTaskIdentifierByTaskId: { 7: "noop" },
      taskIds: [7],
    });
    expect(calls).toBe(2);
  });
});
