import { describe, expect, it } from "vitest";
import {
  memberRecheckCutoff,
  memberRecheckEnd,
  memberRecheckUntil,
  waitingToJoinWhere,
} from "@/lib/applications/role-jobs/recheck-window";
import { backoffMs, DEFAULT_ROLE_SETTINGS, recheckDelayMs } from "@/lib/applications/role-jobs/settings";
import {
  classifyRoleError,
  rateLimitWaitMs,
  RoleAssignmentFailure,
  roleFailure,
} from "@/lib/applications/role-jobs/role-failures";
import { RoleCallTimeout } from "@/lib/applications/role-jobs/role-gateway";
import {
  DiscordApiError,
  DiscordInvalidRequestBudgetError,
  DiscordNetworkError,
  DiscordTimeoutError,
} from "@/lib/discord/errors";
import {
  BotTokenInvalid,
  GuildNotConnected,
  OrganizationSuspended,
  TokenResolutionUnavailable,
} from "@/lib/discord/token-resolver";

/** As a minifying build leaves an error: its class renamed to one letter. */
function minified<E extends Error>(error: E): E {
  Object.defineProperty(error, "name", { value: "B" });
  return error;
}

const MIN = 60_000;
const HOUR = 60 * MIN;

describe("backoff", () => {
  it("doubles per attempt, capped, with half of it random", () => {
    const s = { backoffBaseMs: 2_000, backoffMaxMs: 60_000 };
    expect([1, 2, 3, 4].map((n) => backoffMs(s, n, () => 0))).toEqual([1_000, 2_000, 4_000, 8_000]);
    expect([1, 2, 3, 4].map((n) => backoffMs(s, n, () => 1))).toEqual([2_000, 4_000, 8_000, 16_000]);
    expect(backoffMs(s, 20, () => 1)).toBe(60_000);
  });
});

describe("member_not_in_guild re-checks", () => {
  it("slow down (2 min, 10 min, 1 h, then every 6 h), check last at the end of the 7 days, then stop", () => {
    const s = DEFAULT_ROLE_SETTINGS;
    expect([0, 1, 2, 3, 4].map((step) => recheckDelayMs(s, step, 0))).toEqual([
      2 * MIN,
      10 * MIN,
      HOUR,
      6 * HOUR,
      6 * HOUR,
    ]);
    expect(recheckDelayMs(s, 10, 7 * 24 * HOUR - 7 * HOUR)).toBe(6 * HOUR);
    // Five hours left: the last check is at the window's end, not six hours before it.
    expect(recheckDelayMs(s, 10, 7 * 24 * HOUR - 5 * HOUR)).toBe(5 * HOUR);
    expect(recheckDelayMs(s, 11, 7 * 24 * HOUR)).toBeNull();
    expect(recheckDelayMs(s, 11, 7 * 24 * HOUR + 1)).toBeNull();
  });
});

describe("the member re-check window", () => {
  const now = Date.parse("2026-11-29T12:00:00.000Z");
  const waiting = (roleAttemptedAt: Date | null) => ({
    status: "APPROVED_ROLE_FAILED",
    roleErrorCode: "member_not_in_guild",
    roleAttemptedAt,
  });
  it("runs 7 days from the attempt; the query cutoff and the list's end date agree to the millisecond", () => {
    const cutoff = memberRecheckCutoff({ now });
    expect(cutoff.toISOString()).toBe("2026-11-22T12:00:00.000Z");
    expect(waitingToJoinWhere({ now }).roleAttemptedAt.gt).toEqual(cutoff);
    for (const offset of [-1, 0, 1]) {
      const attempted = new Date(cutoff.getTime() + offset);
      // Inside the window exactly when the query's `roleAttemptedAt > cutoff` holds.
      expect(memberRecheckUntil({ application: waiting(attempted), now }) !== null).toBe(attempted > cutoff);
    }
    const attempted = new Date(now - HOUR);
    expect(memberRecheckUntil({ application: waiting(attempted), now })).toEqual(
      memberRecheckEnd({ roleAttemptedAt: attempted }),
    );
  });
  it("is only for member_not_in_guild approvals with an attempt", () => {
    const attempted = new Date(now - HOUR);
    expect(
      memberRecheckUntil({ application: { ...waiting(attempted), roleErrorCode: "role_missing" }, now }),
    ).toBeNull();
    expect(memberRecheckUntil({ application: { ...waiting(attempted), status: "REJECTED" }, now })).toBeNull();
    expect(memberRecheckUntil({ application: waiting(null), now })).toBeNull();
    expect(memberRecheckEnd({ roleAttemptedAt: null })).toBeNull();
  });
});

describe("classifyRoleError", () => {
  const api = (status: number, code: number) =>
    new DiscordApiError({ status, code, message: "x", method: "PUT", path: "/guilds/1/members/2/roles/3" });
  it.each([
    [api(404, 10007), "member_not_in_guild", false],
    [api(403, 50013), "missing_permissions", false],
    [api(404, 10011), "role_missing", false],
    [api(401, 0), "bot_token_invalid", false],
    [api(403, 50001), "guild_not_connected", false],
    [api(500, 0), "discord_unavailable", true],
    [api(429, 0), "discord_unavailable", true],
    [new DiscordNetworkError("PUT", "/x", "reset"), "discord_unavailable", true],
    [new RoleCallTimeout(10_000), "discord_timeout", true],
    [new RoleAssignmentFailure(roleFailure("guild_not_connected")), "guild_not_connected", false],
    [new BotTokenInvalid("x", "1"), "bot_token_invalid", false],
    [new TokenResolutionUnavailable("x", "1"), "discord_unavailable", true],
    [new OrganizationSuspended("x", "1"), "organization_suspended", false],
    [new GuildNotConnected("x", "1"), "guild_not_connected", false],
    // What a production build does to class names must not change the classification.
    [minified(new OrganizationSuspended("x", "1")), "organization_suspended", false],
    [minified(new BotTokenInvalid("x", "1")), "bot_token_invalid", false],
    // Thrown by another copy of the resolver module (a production bundle can hold two): the process-wide brand and
    // the stable code decide, not the class.
    [
      Object.assign(new Error("x"), {
        [Symbol.for("guildgate.token-resolution-error")]: "token-resolution",
        code: "organization_suspended",
        guildId: "1",
      }),
      "organization_suspended",
      false,
    ],
    // A stranger's error that merely carries the code is not one of ours.
    [Object.assign(new Error("x"), { code: "organization_suspended", guildId: "1" }), "internal_error", true],
    // A stranger's error that merely carries a resolver class's name is not one of ours.
    [Object.assign(new Error("x"), { name: "BotTokenInvalid" }), "internal_error", true],
    [new TypeError("bug"), "internal_error", true],
  ])("%s -> %s", (error, code, transient) => {
    const failure = classifyRoleError(error);
    expect(failure.code).toBe(code);
    expect(failure.transient).toBe(transient);
    expect(failure.message.length).toBeGreaterThan(20);
  });
});

describe("rateLimitWaitMs", () => {
  const api = (status: number, retryAfter?: number) =>
    new DiscordApiError({ status, code: 0, message: "x", method: "PUT", path: "/x", retryAfter });
  it("a 429 (answered or refused locally) is a wait of its retryAfter; anything else is not a wait", () => {
    expect(rateLimitWaitMs(api(429, 30))).toBe(30_000);
    expect(rateLimitWaitMs(api(429, 0.25))).toBe(250);
    expect(rateLimitWaitMs(api(429))).toBe(1_000);
    expect(
      rateLimitWaitMs(
        minified(
          new DiscordInvalidRequestBudgetError({
            method: "PUT",
            path: "/x",
            retryAfter: 12,
            scope: "platform",
            explanation: "x",
          }),
        ),
      ),
    ).toBe(12_000);
    expect(rateLimitWaitMs(api(500))).toBeNull();
    expect(rateLimitWaitMs(api(403))).toBeNull();
    expect(rateLimitWaitMs(new DiscordTimeoutError("PUT", "/x", 10))).toBeNull();
    expect(rateLimitWaitMs(Object.assign(new Error("x"), { status: 429, retryAfter: 5 }))).toBeNull();
  });
});

describe("the crontab", () => {
  it("runs the sweeper every minute", async () => {
    const { parseCrontab } = await import("graphile-worker");
    const { APPLICATION_CRONTAB } = await import("@/lib/applications/role-jobs/tasks");
    const [item] = parseCrontab(APPLICATION_CRONTAB);
    expect(item).toMatchObject({ task: "sweep-role-assignments" });
    expect(parseCrontab(APPLICATION_CRONTAB)).toHaveLength(1);
  });
});
