// A real graphile-worker runner against this test worker's database, with short timings.
import { type ChildProcess, spawn } from "node:child_process";
import type { Runner } from "graphile-worker";
import { createDiscordRoleGateway } from "@/lib/applications/role-jobs/discord-gateway";
import { DEFAULT_ROLE_SETTINGS, type RoleAssignmentSettings } from "@/lib/applications/role-jobs/settings";
import { APPLICATION_CRONTAB, createApplicationTasks } from "@/lib/applications/role-jobs/tasks";
import { TokenResolver } from "@/lib/discord/token-resolver";
import { startJobRunner } from "@/lib/jobs/runner";
import { createDiscordMessageSender } from "@/lib/notifications/sender";
import { createNotificationTasks, type NotificationSettings } from "@/lib/notifications/task";

/** The production gateway over the real token resolver; a resolver per runner so no cache outlives a test. */
function testGateway(timeoutMs: number) {
  const resolver = new TokenResolver();
  return createDiscordRoleGateway({
    resolveToken: (guildId) => resolver.getGuildBotToken(guildId),
    timeoutMs,
  });
}

/** Short timings so retries, timeouts and re-checks happen within a test. */
export function testRoleSettings(overrides: Partial<RoleAssignmentSettings> = {}): RoleAssignmentSettings {
  const timeoutMs = overrides.timeoutMs ?? 2_000;
  return {
    ...DEFAULT_ROLE_SETTINGS,
    gateway: testGateway(timeoutMs),
    timeoutMs,
    backoffBaseMs: 20,
    backoffMaxMs: 100,
    memberRecheck: { stepsMs: [150, 300], thenEveryMs: 300, forMs: 20_000 },
    sweepGraceMs: 0,
    staleLockMs: 60_000,
    ...overrides,
  };
}

/** Decision messages with short backoff, over a fresh token resolver. */
export function testNotificationSettings(overrides: Partial<NotificationSettings> = {}): NotificationSettings {
  const resolver = new TokenResolver();
  return {
    sender: createDiscordMessageSender({
      resolveToken: (guildId) => resolver.getGuildBotToken(guildId),
      timeoutMs: 2_000,
    }),
    maxAttempts: 5,
    backoffBaseMs: 20,
    backoffMaxMs: 100,
    ...overrides,
  };
}

export type TestRunnerOptions = {
  notifications?: Partial<NotificationSettings>;
  settings?: Partial<RoleAssignmentSettings>;
  crontab?: boolean;
  concurrency?: number;
  /** Worker registry timings (default: production's). */
  heartbeatMs?: number;
  deadAfterMs?: number;
};

/** Starts a real graphile-worker runner; stop it with `runner.stop()` (or `kill()` to simulate a crash). */
export async function startTestRunner(options: TestRunnerOptions = {}): Promise<Runner> {
  return startJobRunner({
    taskList: {
      ...createApplicationTasks(testRoleSettings(options.settings)),
      ...createNotificationTasks(testNotificationSettings(options.notifications)),
    },
    crontab: options.crontab ? APPLICATION_CRONTAB : "",
    concurrency: options.concurrency ?? 4,
    pollInterval: 50,
    heartbeatMs: options.heartbeatMs,
    deadAfterMs: options.deadAfterMs,
  });
}

export type SpawnWorkerProcessOptions = { env: Record<string, string>; concurrency?: number };

/** A runner in a child process (tests/helpers/worker-process.ts), resolved once it is ready; kill it to crash it. */
export async function spawnWorkerProcess(options: SpawnWorkerProcessOptions): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "tests/helpers/worker-process.ts"], {
    env: {
      ...process.env,
      ...options.env,
      TEST_WORKER_CONCURRENCY: String(options.concurrency ?? 4),
      LOG_LEVEL: "silent",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("ready")) resolve();
    });
    child.once("exit", (code) => reject(new Error(`worker process exited with ${code}: ${stderr.slice(-2_000)}`)));
  });
  return child;
}
