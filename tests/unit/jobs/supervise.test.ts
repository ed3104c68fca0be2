// The supervisor's decisions with stand-in runners: restart a runner that died, wait out an unreachable database,
// stop on any other start-up failure, and free a dead pool's locks only after its tasks finished.
import { EventEmitter } from "node:events";
import type { Runner } from "graphile-worker";
import { describe, expect, it } from "vitest";
import type { FetchHealth } from "@/lib/jobs/fetch-health";
import { superviseRunner, superviseRunners } from "@/lib/jobs/supervise";
import { createLogger } from "@/lib/logger";
import { processMetrics } from "@/lib/metrics/registry";

type FakeRunner = Runner & { die: () => void; emit: (event: string, payload: unknown) => void };

function fakeRunner(): FakeRunner {
  const events = new EventEmitter();
  let finish!: () => void;
  const promise = new Promise<void>((resolve) => (finish = resolve));
  return {
    events,
    promise,
    stop: async () => finish(),
    die: () => finish(),
    emit: (event: string, payload: unknown) => events.emit(event, payload),
  } as unknown as FakeRunner;
}

const quiet = createLogger({ level: "silent" });
const refused = () => Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
const until = async (predicate: () => boolean) => {
  for (let i = 0; i < 200 && !predicate(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(predicate()).toBe(true);
};

describe("superviseRunner", () => {
  it("restarts a runner that died, retrying while the database is unreachable, and frees the dead pool's locks", async () => {
    const runners: FakeRunner[] = [];
    let calls = 0;
    const unlocked: string[][] = [];
    const supervised = superviseRunner({
      start: async () => {
        calls += 1;
        if (calls === 2 || calls === 3) throw refused();
        const runner = fakeRunner();
        runners.push(runner);
        return runner;
      },
      unlockWorkers: async (ids) => void unlocked.push(ids),
      minDelayMs: 1,
      maxDelayMs: 5,
      log: quiet,
    });
    await until(() => runners.length === 1);
    const worker = { workerPool: { id: "pool-a" } };
    runners[0]!.emit("job:start", { worker });
    runners[0]!.die();
    // Restarted (after two refused attempts) while the dead pool's task is still running: pool-a keeps its locks...
    await until(() => runners.length === 2);
    expect(calls).toBe(4);
    await new Promise((r) => setTimeout(r, 30));
    expect(unlocked).toEqual([]);
    // ...until that task has finished.
    runners[0]!.emit("job:complete", { worker });
    await until(() => unlocked.length === 1);
    expect(unlocked).toEqual([["pool-a"]]);
    expect(supervised.starts()).toBe(2);
    await supervised.stop();
    await supervised.done;
  });

  it("ends with the error when a runner cannot start for another reason (a bug is not retried)", async () => {
    const supervised = superviseRunner({
      start: async () => Promise.reject(new TypeError("bad crontab")),
      minDelayMs: 1,
      log: quiet,
    });
    await expect(supervised.done).rejects.toThrow("bad crontab");
  });

  it("replaces a runner that stays alive but cannot fetch, logs the stall once and its end once, and counts it", async () => {
    type Stub = FakeRunner & { fetchHealth: FetchHealth; stalledMs: number; fetched: boolean; stopped: boolean };
    const runners: Stub[] = [];
    const lines: { msg: string; level: number }[] = [];
    const capture = createLogger({
      level: "debug",
      destination: { write: (line: string) => void lines.push(JSON.parse(line)) },
    });
    const replacedBefore = (await processMetrics().runnerReplacements.get()).values.find(
      (v) => v.labels.reason === "stalled",
    )?.value;
    const supervised = superviseRunner({
      start: async () => {
        const base = fakeRunner();
        const runner = base as Stub;
        runner.stalledMs = 0;
        runner.fetched = false;
        runner.stopped = false;
        const stop = base.stop;
        runner.stop = async () => {
          runner.stopped = true;
          await stop();
        };
        runner.fetchHealth = {
          stalledForMs: () => runner.stalledMs,
          live: () => runner.stalledMs < 10,
          progressed: () => runner.fetched,
          detach: () => {},
        };
        runners.push(runner);
        return runner;
      },
      replaceStalledAfterMs: 50,
      stallCheckMs: 2,
      minDelayMs: 1,
      maxDelayMs: 4,
      log: capture,
    });
    await until(() => runners.length === 1);
    // Alive, but its fetches fail: replaced, and the replacement too while the fault lasts.
    runners[0]!.stalledMs = 60;
    await until(() => runners.length === 2);
    expect(runners[0]!.stopped).toBe(true);
    runners[1]!.stalledMs = 60;
    await until(() => runners.length === 3);
    // The third fetches: the stall is over.
    runners[2]!.fetched = true;
    await until(() => lines.some((l) => l.msg === "job runner is fetching jobs again"));
    await new Promise((r) => setTimeout(r, 20));
    expect(runners).toHaveLength(3);
    const messages = lines.filter((l) => l.level >= 30).map((l) => l.msg);
    expect(messages.filter((m) => m === "job runner has not fetched jobs; replacing it")).toHaveLength(1);
    expect(messages.filter((m) => m === "job runner is fetching jobs again")).toHaveLength(1);
    expect(messages).not.toContain("job runner stopped unexpectedly; restarting");
    const replaced = (await processMetrics().runnerReplacements.get()).values.find(
      (v) => v.labels.reason === "stalled",
    )?.value;
    expect((replaced ?? 0) - (replacedBefore ?? 0)).toBe(2);
    await supervised.stop();
    await supervised.done;
  });

  it("stops without restarting", async () => {
    const runners: FakeRunner[] = [];
    const supervised = superviseRunner({
      start: async () => {
        const runner = fakeRunner();
        runners.push(runner);
        return runner;
      },
      minDelayMs: 1,
      log: quiet,
    });
    await until(() => runners.length === 1);
    await supervised.stop();
    await new Promise((r) => setTimeout(r, 20));
    expect(runners).toHaveLength(1);
  });
});

describe("superviseRunners (the process's runners: every job but deliveries, and deliveries)", () => {
  function lane(runners: FakeRunner[]) {
    return async () => {
      const runner = fakeRunner();
      runners.push(runner);
      return runner;
    };
  }

  it("restarts only the runner that died, and one stop stops every runner", async () => {
    const main: FakeRunner[] = [];
    const deliveries: FakeRunner[] = [];
    const supervised = superviseRunners([lane(main), lane(deliveries)], {
      unlockWorkers: async () => {},
      minDelayMs: 1,
      log: quiet,
    });
    await until(() => main.length === 1 && deliveries.length === 1);
    deliveries[0]!.die();
    await until(() => deliveries.length === 2);
    expect(main).toHaveLength(1);
    expect(supervised.starts()).toBe(3);
    const settled: string[] = [];
    void main[0]!.promise.then(() => settled.push("main"));
    void deliveries[1]!.promise.then(() => settled.push("deliveries"));
    await supervised.stop();
    await supervised.done;
    await until(() => settled.length === 2);
  });

  it("a runner that cannot start for a bug stops the others, and `done` rejects with its error", async () => {
    const main: FakeRunner[] = [];
    const supervised = superviseRunners([lane(main), async () => Promise.reject(new TypeError("bad task list"))], {
      minDelayMs: 1,
      log: quiet,
    });
    await expect(supervised.done).rejects.toThrow("bad task list");
    let stopped = false;
    await main[0]!.promise.then(() => (stopped = true));
    expect(stopped).toBe(true);
    await new Promise((r) => setTimeout(r, 20));
    expect(main).toHaveLength(1);
  });
});
