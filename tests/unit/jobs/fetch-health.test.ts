// A runner's liveness is progress: a fetch that answered, or a job starting or ending. A runner whose every slot is
// busy needs no fetch and stays live; one with a free slot and no progress for the stall window is not.
import { EventEmitter } from "node:events";
import type { WorkerEvents } from "graphile-worker";
import { describe, expect, it } from "vitest";
import { watchFetches } from "@/lib/jobs/fetch-health";

function setup() {
  let now = 1_000_000;
  const events = new EventEmitter() as WorkerEvents;
  const health = watchFetches(events, { concurrency: 2, stallAfterMs: 8_000, now: () => now });
  const emit = (event: string) => (events as unknown as EventEmitter).emit(event, {});
  return { health, emit, advance: (ms: number) => void (now += ms) };
}

describe("watchFetches", () => {
  it("is live after a successful fetch and not live once fetches stop succeeding for the stall window", () => {
    const { health, emit, advance } = setup();
    expect(health.live()).toBe(true); // just started
    expect(health.progressed()).toBe(false);
    advance(7_000);
    emit("localQueue:getJobs:complete");
    expect(health.progressed()).toBe(true);
    advance(7_999);
    expect(health.live()).toBe(true);
    advance(1);
    expect(health.live()).toBe(false);
    expect(health.stalledForMs()).toBe(8_000);
    emit("worker:getJob:empty"); // a slot's own fetch (no local queue) counts the same
    expect(health.stalledForMs()).toBe(0);
  });

  it("counts a saturated runner as live however long its jobs take, and measures from the last job's end", () => {
    const { health, emit, advance } = setup();
    emit("job:start");
    emit("job:start");
    advance(60_000);
    expect(health.live()).toBe(true);
    emit("job:complete");
    advance(5_000);
    expect(health.stalledForMs()).toBe(5_000);
    advance(3_000);
    expect(health.live()).toBe(false);
    health.detach();
    emit("localQueue:getJobs:complete");
    expect(health.live()).toBe(false);
  });
});
