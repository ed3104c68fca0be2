// Two application processes (tests/helpers/app-process.ts) against one PostgreSQL and one HTTP Discord sandbox:
// what one process learns or spends, the other honours. Issue 11 items 1 and 2: a tenant that exhausts its share of
// Discord's invalid-request budget does not stop another tenant's health, role grant or sign-in; the budget and the
// rejected-token knowledge are counted once across processes; so is Discord's global limit per bot token.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { loginRedirectUri } from "@/lib/security/discord-sign-in";
import { startDiscordSandbox, type DiscordSandbox } from "~tests/fakes/discord/sandbox";
import { createOrgWithMember } from "~tests/helpers/auth";
import { type AppProcess, startAppProcess } from "~tests/helpers/app-processes";
import { seedConnectedGuild } from "~tests/helpers/discord";
import { peakInAnySecond } from "~tests/helpers/limits";

let sandbox: DiscordSandbox | undefined;
let processes: AppProcess[] = [];
// Started once (each takes a while to load the app's modules); every test gives them a fresh sandbox and settings.
beforeAll(async () => {
  processes = await Promise.all([startAppProcess({}), startAppProcess({})]);
}, 180_000);
afterAll(async () => {
  await Promise.all(processes.map((p) => p.stop()));
});
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

const DEFAULT_LIMITS = {
  DISCORD_INVALID_REQUEST_LIMIT: "9000",
  DISCORD_INVALID_REQUEST_SIGN_IN_RESERVE: "1000",
  DISCORD_INVALID_REQUEST_PER_ORG: "300",
  DISCORD_GLOBAL_REQUESTS_PER_SECOND: "50",
};

/** A fresh sandbox, and both app processes pointed at it with these limit settings. */
async function twoProcesses(limits: Record<string, string>): Promise<[AppProcess, AppProcess]> {
  const current = await startDiscordSandbox({ port: 0 });
  sandbox = current;
  await Promise.all(
    processes.map((p) => p.send({ op: "configure", env: { ...current.env, ...DEFAULT_LIMITS, ...limits } })),
  );
  expect(processes[0]!.pid).not.toBe(processes[1]!.pid);
  return processes as [AppProcess, AppProcess];
}

const world = () => sandbox!.world();
const requests = (route: string) => sandbox!.fake.requests(route);

async function wrongTokenCheck(p: AppProcess, organizationId: string, userId: string, n: number) {
  return p.failure({
    op: "setOwnBot",
    organizationId,
    userId,
    input: {
      applicationId: world().tenantApplication.id,
      clientSecret: "s".repeat(32),
      botToken: `wrong${n}`.padEnd(40, "x"),
    },
  });
}

async function signIn(p: AppProcess, ip: string) {
  const { authorizeUrl, cookie } = await p.send<{ authorizeUrl: string; cookie: string }>({ op: "startSignIn" });
  const state = new URL(authorizeUrl).searchParams.get("state")!;
  const code = sandbox!.fake.issueAuthorizationCode({
    clientId: world().platform.id,
    userId: world().admin.id,
    scopes: ["identify"],
    redirectUri: loginRedirectUri(),
  });
  return p.send<{ userId: string }>({
    op: "completeSignIn",
    query: { code, state },
    cookieHeader: cookie.split(";")[0]!,
    ip,
  });
}

async function connectedTenant() {
  const { organization } = await seedConnectedGuild({ guildId: world().guild.id });
  await db.discordConnection.update({
    where: { organizationId: organization.id },
    data: { approvedRoleId: world().roles.approved.id },
  });
  return organization;
}

describe("fair shares across two processes (issue 11 item 1)", () => {
  it(
    "one tenant exhausts its share in both processes; another tenant's health, role grant and sign-in still work",
    { timeout: 120_000 },
    async () => {
      const [p1, p2] = await twoProcesses({ DISCORD_INVALID_REQUEST_PER_ORG: "3" });
      const attacker = await createOrgWithMember("OWNER");
      const victim = await connectedTenant();

      // Three refused tokens, spread over both processes, use the attacker's share once.
      expect((await wrongTokenCheck(p1, attacker.organization.id, attacker.user.id, 1))?.code).toBe(
        "invalid_bot_token",
      );
      expect((await wrongTokenCheck(p2, attacker.organization.id, attacker.user.id, 2))?.code).toBe(
        "invalid_bot_token",
      );
      expect((await wrongTokenCheck(p1, attacker.organization.id, attacker.user.id, 3))?.code).toBe(
        "invalid_bot_token",
      );
      for (const p of [p2, p1]) {
        const refused = await wrongTokenCheck(p, attacker.organization.id, attacker.user.id, 4);
        expect(refused).toMatchObject({ code: "discord_budget_exhausted", scope: "organization", status: 429 });
        expect(refused!.retryAfter).toBeGreaterThan(0);
      }
      expect(requests("GET /users/@me").filter((r) => r.status === 401)).toHaveLength(3);

      const health = await p2.send<{ status: string; checks: { id: string; ok: boolean }[] }>({
        op: "health",
        organizationId: victim.id,
      });
      expect(health.status).toBe("healthy");
      expect(
        await p1.send({
          op: "grantRole",
          guildId: world().guild.id,
          userId: world().applicant.id,
          roleId: world().roles.approved.id,
        }),
      ).toBe("added");
      expect(world().guild.members.get(world().applicant.id)!.roleIds.has(world().roles.approved.id)).toBe(true);
      expect((await signIn(p2, "198.51.100.20")).userId).toBeTruthy();
    },
  );

  it(
    "tenants that spend the platform's part in both processes leave sign-in its reserve",
    { timeout: 120_000 },
    async () => {
      // 55 per 10 minutes: 5 per one-minute window, of which tenants may use 4; the fifth is sign-in's.
      const [p1, p2] = await twoProcesses({
        DISCORD_INVALID_REQUEST_LIMIT: "55",
        DISCORD_INVALID_REQUEST_SIGN_IN_RESERVE: "11",
      });
      for (let n = 0; n < 4; n++) {
        const tenant = await createOrgWithMember("OWNER");
        expect((await wrongTokenCheck(n % 2 ? p2 : p1, tenant.organization.id, tenant.user.id, n))?.code).toBe(
          "invalid_bot_token",
        );
      }
      const late = await createOrgWithMember("OWNER");
      expect(await wrongTokenCheck(p2, late.organization.id, late.user.id, 9)).toMatchObject({
        code: "discord_budget_exhausted",
        scope: "platform",
      });
      expect((await signIn(p1, "198.51.100.21")).userId).toBeTruthy();
    },
  );
});

describe("shared state across two processes (issue 11 item 2)", () => {
  it(
    "a 401 seen in one process is honoured by the other: the tenant token is INVALID for both, health says so, no second call",
    { timeout: 120_000 },
    async () => {
      const [p1, p2] = await twoProcesses({});
      const tenantToken = world().tenantApplication.botToken;
      sandbox!.fake.model.addBotToGuild(world().guild.id, world().tenantApplication.id);
      const { organization, secretId } = await seedConnectedGuild({ guildId: world().guild.id, botToken: tenantToken });
      await db.discordConnection.update({
        where: { organizationId: organization.id },
        data: { approvedRoleId: world().roles.approved.id },
      });
      expect((await p2.send<{ status: string }>({ op: "health", organizationId: organization.id })).status).toBe(
        "healthy",
      );

      // The owner resets the token in Discord; process 1 (say, the worker) meets the 401.
      world().tenantApplication.botToken = "reset-in-the-developer-portal";
      const first = await p1.failure({
        op: "grantRole",
        guildId: world().guild.id,
        userId: world().applicant.id,
        roleId: world().roles.approved.id,
      });
      expect(first?.status).toBe(401);
      expect((await db.vaultSecret.findUniqueOrThrow({ where: { id: secretId } })).validity).toBe("INVALID");

      const before = sandbox!.fake.countRequests();
      const health = await p2.send<{ status: string; checks: { id: string; ok: boolean }[] }>({
        op: "health",
        organizationId: organization.id,
      });
      expect(health.status).toBe("problems");
      expect(health.checks).toEqual([expect.objectContaining({ id: "bot_token", ok: false })]);
      const second = await p2.failure({
        op: "grantRole",
        guildId: world().guild.id,
        userId: world().applicant.id,
        roleId: world().roles.approved.id,
      });
      expect(second?.name).toBe("BotTokenInvalid");
      // And the token itself, handed to process 2 directly, is not sent again.
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      expect(
        (await p2.failure({ op: "call", token: tenantToken, kind: "Bot", call: "getGuild", args: [world().guild.id] }))
          ?.status,
      ).toBe(401);
      expect(sandbox!.fake.countRequests()).toBe(before);
    },
  );

  it("the invalid-request budget is counted once across both processes", { timeout: 120_000 }, async () => {
    // 33 per 10 minutes: 3 per one-minute window, none reserved.
    const [p1, p2] = await twoProcesses({
      DISCORD_INVALID_REQUEST_LIMIT: "33",
      DISCORD_INVALID_REQUEST_SIGN_IN_RESERVE: "0",
    });
    const { guild, applicant, roles, platform } = world();
    const aboveTheBot = {
      op: "call" as const,
      token: platform.botToken,
      kind: "Bot" as const,
      call: "addGuildMemberRole" as const,
      args: [guild.id, applicant.id, roles.staff.id],
    };
    expect((await p1.failure(aboveTheBot))?.status).toBe(403);
    expect((await p2.failure(aboveTheBot))?.status).toBe(403);
    expect((await p1.failure(aboveTheBot))?.status).toBe(403);
    for (const p of [p2, p1]) {
      expect(
        await p.failure({ op: "call", token: platform.botToken, kind: "Bot", call: "getGuild", args: [guild.id] }),
      ).toMatchObject({
        name: "DiscordInvalidRequestBudgetError",
        scope: "platform",
        status: 429,
      });
    }
    expect(sandbox!.fake.requests().filter((r) => r.status === 403)).toHaveLength(3);
  });

  /** Both processes send `perProcess` role-list reads with the platform bot at once; what reached Discord. */
  async function globalLimitBurst(p1: AppProcess, p2: AppProcess, perProcess: number) {
    const { guild, platform } = world();
    const call = {
      op: "call" as const,
      token: platform.botToken,
      kind: "Bot" as const,
      call: "getGuildRoles" as const,
      args: [guild.id],
    };
    const started = sandbox!.fake.countRequests();
    await Promise.all([p1, p2].flatMap((p) => Array.from({ length: perProcess }, () => p.send(call))));
    const received = sandbox!.fake.requests().slice(started);
    const arrivals = received.map((r) => r.at);
    return {
      arrivals,
      span: Math.max(...arrivals) - Math.min(...arrivals),
      refused: received.filter((r) => r.status === 429),
    };
  }

  it("Discord's global limit per bot token holds across both processes", { timeout: 120_000 }, async () => {
    const [p1, p2] = await twoProcesses({ DISCORD_GLOBAL_REQUESTS_PER_SECOND: "3" });
    const { arrivals, span } = await globalLimitBurst(p1, p2, 6);
    expect(arrivals).toHaveLength(12);
    // 12 calls at 3 per second for the token, whichever process sends them: at least four one-second windows. Two
    // processes counting alone (3 per second each) would finish within about one second.
    expect(span).toBeGreaterThanOrEqual(2_500);
  });

  it("holds with leases too: each process takes points a few at a time", { timeout: 120_000 }, async () => {
    // At 20 per second a process takes 2 points per grant (global-limit.ts).
    const [p1, p2] = await twoProcesses({ DISCORD_GLOBAL_REQUESTS_PER_SECOND: "20" });
    // Only the global limit is under test: the route's own bucket (5 per second like Discord's) is opened up.
    sandbox!.fake.configureRateLimits({ defaultRoute: { limit: 1_000, windowMs: 1_000 } });
    const { arrivals, span, refused } = await globalLimitBurst(p1, p2, 30);
    expect(arrivals).toHaveLength(60);
    expect(refused).toHaveLength(0);
    // 60 calls at 20 per second: about three seconds. Counting alone, each process would send its 30 in two.
    expect(span).toBeGreaterThanOrEqual(1_800);
    // As Discord counts it: no sliding second carries more than 20, whichever process sent them.
    expect(peakInAnySecond(arrivals)).toBeLessThanOrEqual(20);
  });
});
