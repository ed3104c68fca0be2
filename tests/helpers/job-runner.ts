// A real graphile-worker runner against this test worker's database, with short timings.
import type { Runner } from "graphile-worker";
import { createDiscordRoleGateway } from "@/lib/applications/discord-gateway";
import { DEFAULT_ROLE_SETTINGS, type RoleAssignmentSettings } from "@/lib/applications/settings";
import { APPLICATION_CRONTAB, createApplicationTasks } from "@/lib/applications/tasks";
import { TokenResolver } from "@/lib/discord/token-resolver";
import { startJobRunner } from "@/lib/jobs/runner";

/** The production gateway over the real token resolver; a resolver per runner so no cache outlives a test. */
function testGateway(timeoutMs: number) {
  const resolver = new TokenResolver();
  return createDiscordRoleGateway({ resolveToken: async (guildId) => (await resolver.getGuildBotToken(guildId)).token, timeoutMs });
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

export type TestRunnerOptions = { settings?: Partial<RoleAssignmentSettings>; crontab?: boolean; concurrency?: number };

/** Starts a real graphile-worker runner; stop it with `runner.stop()` (or `kill()` to simulate a crash). */
export async function startTestRunner(options: TestRunnerOptions = {}): Promise<Runner> {
  return startJobRunner({
    taskList: createApplicationTasks(testRoleSettings(options.settings)),
    crontab: options.crontab ? APPLICATION_CRONTAB : "",
    concurrency: options.concurrency ?? 4,
    pollInterval: 50,
  });
}
