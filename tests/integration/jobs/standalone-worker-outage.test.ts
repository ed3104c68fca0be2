// `npm run worker` as a real child process against a PostgreSQL of its own: a role job is in flight (Discord stalls)
// when PostgreSQL stops, so the job's failure cannot be recorded; PostgreSQL stays down longer than the poll
// interval and the pool's timeouts, comes back, and the same worker process picks up a new job by itself.
import { spawn, type ChildProcess } from "node:child_process";
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import { enqueueRoleAssignment } from "@/lib/applications/role-jobs/enqueue";
import { db, disconnectDb } from "@/lib/db";
import { resetEnvCache } from "@/lib/env";
import { addJob } from "@/lib/jobs/add-job";
import { createApplication, createOrgWithGuild, listJobs, waitFor } from "~tests/helpers/applications";
import { startOutageCluster, type OutageCluster } from "~tests/helpers/outage-cluster";

let cluster: OutageCluster;
let worker: ChildProcess | undefined;
let discord: http.Server;
const held: Socket[] = [];
let discordRequests = 0;
let output = "";
const previousUrl = process.env.DATABASE_URL;

beforeAll(async () => {
  cluster = await startOutageCluster({ name: "worker_outage", migrate: true });
  process.env.DATABASE_URL = cluster.url;
  resetEnvCache();
  await disconnectDb();
  // A Discord that never answers while the test holds its connections; the test then drops them.
  discord = http.createServer((request) => {
    discordRequests += 1;
    held.push(request.socket);
  });
  await new Promise<void>((resolve) => discord.listen(0, "127.0.0.1", resolve));
}, 120_000);

afterAll(async () => {
  if (worker && worker.exitCode === null) {
    const exited = new Promise((resolve) => worker!.once("exit", resolve));
    worker.kill("SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
    if (worker.exitCode === null) worker.kill("SIGKILL");
  }
  for (const socket of held) socket.destroy();
  discord?.close();
  process.env.DATABASE_URL = previousUrl;
  resetEnvCache();
  await disconnectDb();
  await cluster?.destroy();
}, 60_000);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

it("survives a PostgreSQL outage with a job in flight and processes a new job once PostgreSQL is back", async () => {
  const { organization } = await createOrgWithGuild();
  const application = await createApplication({ organizationId: organization.id, status: "APPROVED_PENDING_ROLE" });
  await db.application.update({ where: { id: application.id }, data: { roleAssignmentStatus: "PENDING" } });
  await enqueueRoleAssignment({ tx: db, applicationId: application.id, organizationId: organization.id });

  const port = (discord.address() as AddressInfo).port;
  worker = spawn("node_modules/.bin/tsx", ["scripts/worker.ts"], {
    env: {
      ...process.env,
      DATABASE_URL: cluster.url,
      DISCORD_API_BASE_URL: `http://127.0.0.1:${port}/api/v10`,
      LOG_LEVEL: "debug",
      NODE_ENV: "production",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  worker.stdout!.on("data", (d) => (output += d));
  worker.stderr!.on("data", (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => worker!.once("exit", (code) => resolve(code)));

  // The role job is in flight: its Discord call is waiting on us.
  await waitFor(
    async () => discordRequests,
    (n) => n > 0,
    60_000,
  );

  await cluster.stop();
  // Discord's answer is lost; recording the outcome (and graphile-worker's failJob) now fails on the database.
  for (const socket of held.splice(0)) socket.destroy();
  // Longer than the poll interval (2 s), the pool's connection timeout (3 s) and several failed job batches.
  const outcome = await Promise.race([
    exited.then((code) => ({ exited: code })),
    sleep(15_000).then(() => ({ exited: undefined })),
  ]);
  expect(outcome, `worker output:\n${output.slice(-4_000)}`).toEqual({ exited: undefined });

  const callsBefore = discordRequests;
  await cluster.start();
  const backAt = Date.now();
  await disconnectDb();
  const sweep = await addJob({ tx: db, identifier: "sweep-role-assignments", payload: {} });
  // Completed jobs are deleted: the new job disappears once this same process has run it.
  await waitFor(listJobs, (jobs) => !jobs.some((j) => j.id === sweep.id), 90_000);
  console.log(`[worker outage] a new job ran ${Date.now() - backAt} ms after PostgreSQL was back`);
  expect(worker.exitCode, `worker output:\n${output.slice(-4_000)}`).toBeNull();
  expect(output).toContain("job completed");
  // The interrupted role job was freed by the restart (not after a lock timeout) and is being tried again.
  await waitFor(
    async () => discordRequests,
    (n) => n > callsBefore,
    60_000,
  );

  // Recovered by the runner's own error path and the supervisor, not by the process-level safety net.
  expect(output).toContain("job runner restarted");
  expect(output).not.toContain("outside a job");
  // Its lines never carry the database's address.
  const leaks = output.split("\n").filter((line) => line.includes(String(cluster.port)));
  expect(leaks).toEqual([]);
}, 240_000);
