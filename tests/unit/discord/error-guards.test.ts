// Issue 23 item 4: Discord failures (ours and @discordjs/rest's) and AppErrors keep their meaning when a module is
// loaded twice, as `next dev` and the production build do. Each copy of src/lib/discord/errors.ts has its own
// classes; the guards of either copy recognise the errors the other made.
import { createRequire } from "node:module";
import * as restEsm from "@discordjs/rest";
import { describe, expect, it, vi } from "vitest";

type ErrorsModule = typeof import("@/lib/discord/errors");
type RestErrorsModule = typeof import("@/lib/discord/rest-errors");
type AppErrorModule = typeof import("@/lib/errors/app-error");
type RoleFailuresModule = typeof import("@/lib/applications/role-jobs/role-failures");
type MessageFailuresModule = typeof import("@/lib/notifications/failures");

/** A fresh copy of each module (and of everything it imports), as a second chunk of a build would hold. */
async function copy() {
  vi.resetModules();
  return {
    errors: (await import("@/lib/discord/errors")) as ErrorsModule,
    restErrors: (await import("@/lib/discord/rest-errors")) as RestErrorsModule,
    app: (await import("@/lib/errors/app-error")) as AppErrorModule,
    roles: (await import("@/lib/applications/role-jobs/role-failures")) as RoleFailuresModule,
    messages: (await import("@/lib/notifications/failures")) as MessageFailuresModule,
  };
}

/** The CommonJS build of @discordjs/rest: a second copy of its classes beside the ESM one imported above. */
const restCjs = createRequire(import.meta.url)("@discordjs/rest") as typeof restEsm;

const api = (status: number, code: number) => ({
  status,
  code,
  message: "Discord said no",
  method: "PUT",
  path: "/guilds/1/members/2/roles/3",
});

describe("Discord error guards across two copies of the module", () => {
  it("recognise every kind made by the other copy, where instanceof does not", async () => {
    const a = await copy();
    const b = await copy();
    expect(a.errors.DiscordApiError).not.toBe(b.errors.DiscordApiError);

    const notMember = new b.errors.DiscordApiError(api(404, 10007));
    expect(notMember instanceof a.errors.DiscordApiError).toBe(false); // the defect's cause
    expect(a.errors.isDiscordApiError(notMember)).toBe(true);
    expect(a.errors.isDiscordStatus(notMember, 404)).toBe(true);
    expect(a.errors.isDiscordCode(notMember, 10007)).toBe(true);
    expect(a.errors.isDiscordError(notMember)).toBe(true);
    expect(a.errors.isDiscordNetworkError(notMember)).toBe(false);

    const timeout = new b.errors.DiscordTimeoutError("GET", "/users/@me", 10);
    const network = new b.errors.DiscordNetworkError("GET", "/users/@me", "TypeError ECONNRESET");
    const budget = new b.errors.DiscordInvalidRequestBudgetError({
      method: "GET",
      path: "/users/@me",
      retryAfter: 30,
      scope: "organization",
      explanation: "This organization's share is spent.",
    });
    expect([timeout, network, budget].map((e) => a.errors.discordErrorKind(e))).toEqual([
      "timeout",
      "network",
      "budget",
    ]);
    expect(a.errors.isDiscordTimeoutError(timeout)).toBe(true);
    expect(a.errors.isDiscordNetworkError(network)).toBe(true);
    expect(a.errors.isDiscordApiError(budget) && a.errors.isDiscordBudgetError(budget)).toBe(true);
    expect(a.errors.discordRateLimitWaitMs(budget)).toBe(30_000);
    expect(a.errors.toBudgetAppError(budget)).toMatchObject({ code: "discord_budget_exhausted", status: 429 });

    const suspended = new b.errors.OrganizationSuspended("suspended", "1");
    expect(a.errors.isTokenResolutionError(suspended)).toBe(true);
    expect(a.errors.tokenResolutionCode(suspended)).toBe("organization_suspended");
    expect(a.errors.isDiscordFailure(suspended)).toBe(true);
  });

  it("classify a role job's and a message's failures made by the other copy (issue 23: 403/404 ended as 'kept failing')", async () => {
    const a = await copy();
    const b = await copy();
    const cases: [Error, string, string][] = [
      [new b.errors.DiscordApiError(api(401, 0)), "bot_token_invalid", "bot_unavailable"],
      [new b.errors.DiscordApiError(api(403, 50013)), "missing_permissions", "missing_permissions"],
      [new b.errors.DiscordApiError(api(404, 10007)), "member_not_in_guild", "discord_rejected"],
      [new b.errors.DiscordApiError(api(403, 50007)), "missing_permissions", "dms_closed"],
      [new b.errors.DiscordApiError(api(503, 0)), "discord_unavailable", "discord_unavailable"],
      [new b.errors.DiscordNetworkError("PUT", "/x", "TypeError"), "discord_unavailable", "discord_unavailable"],
      [new b.errors.DiscordTimeoutError("PUT", "/x", 10), "discord_timeout", "discord_unavailable"],
      [new b.errors.BotTokenInvalid("invalid", "1"), "bot_token_invalid", "bot_unavailable"],
      [new b.errors.GuildNotConnected("none", "1"), "guild_not_connected", "bot_unavailable"],
    ];
    for (const [error, role, message] of cases) {
      expect(a.roles.classifyRoleError(error).code, `${error.message} (role)`).toBe(role);
      expect(a.messages.classifyMessageError(error).code, `${error.message} (message)`).toBe(message);
    }
    const limited = new b.errors.DiscordApiError({ ...api(429, 0), retryAfter: 2 });
    expect(a.roles.rateLimitWaitMs(limited)).toBe(2_000);
    expect(a.messages.messageRateLimitWaitMs(limited)).toBe(2_000);
  });

  it("an AppError of the other copy is an AppError, with its status from the table", async () => {
    const a = await copy();
    const b = await copy();
    const conflict = new b.app.AppError("missing_permissions", "The bot may not create invites there.");
    expect(conflict instanceof a.app.AppError).toBe(false);
    expect(a.app.isAppError(conflict)).toBe(true);
    expect(conflict.status).toBe(409);
  });

  it("are not fooled by look-alikes: a plain error with the same name, status or code", async () => {
    const { errors, restErrors, app } = await copy();
    const lookalike = Object.assign(new Error("x"), { name: "DiscordApiError", status: 404, code: 10007 });
    expect(errors.isDiscordError(lookalike)).toBe(false);
    expect(errors.isDiscordApiError(lookalike)).toBe(false);
    expect(
      errors.isTokenResolutionError(Object.assign(new Error("x"), { code: "bot_token_invalid", guildId: "1" })),
    ).toBe(false);
    expect(app.isAppError(Object.assign(new Error("x"), { code: "conflict", status: 409 }))).toBe(false);
    for (const value of [null, undefined, "error", 404, {}]) {
      expect(errors.isDiscordError(value)).toBe(false);
      expect(restErrors.isRestApiError(value)).toBe(false);
      expect(app.isAppError(value)).toBe(false);
    }
  });
});

describe("@discordjs/rest's errors by their shape", () => {
  const request = { body: undefined, files: undefined };

  it("come from two separate copies of the package here", () => {
    expect(restCjs.DiscordAPIError).not.toBe(restEsm.DiscordAPIError);
  });

  for (const [label, rest] of [
    ["ESM copy", restEsm],
    ["CommonJS copy", restCjs],
  ] as const) {
    it(`recognises DiscordAPIError, HTTPError and RateLimitError of the ${label}`, async () => {
      const { errors, restErrors } = await copy();
      const apiError = new rest.DiscordAPIError(
        { code: 10007, message: "Unknown Member" },
        10007,
        404,
        "PUT",
        "https://discord.test/api/v10/guilds/1/members/2/roles/3",
        request,
      );
      const oauthError = new rest.DiscordAPIError(
        { error: "invalid_grant", error_description: "bad" },
        "invalid_grant",
        400,
        "POST",
        "https://discord.test/api/v10/oauth2/token",
        request,
      );
      const httpError = new rest.HTTPError(
        502,
        "Bad Gateway",
        "GET",
        "https://discord.test/api/v10/users/@me",
        request,
      );
      const limited = new rest.RateLimitError({
        timeToReset: 60_000,
        limit: 1,
        method: "PUT",
        hash: "h",
        url: "https://discord.test/api/v10/guilds/1/members/2/roles/3",
        route: "/guilds/:id/members/:id/roles/:id",
        majorParameter: "1",
        global: false,
        retryAfter: 60_000,
        sublimitTimeout: 0,
        scope: "user",
      });
      expect(restErrors.isRestApiError(apiError)).toBe(true);
      expect(restErrors.isRestApiError(oauthError)).toBe(true);
      expect(restErrors.isRestHttpError(apiError)).toBe(false);
      expect(restErrors.isRestRateLimitError(apiError)).toBe(false);
      expect(restErrors.isRestHttpError(httpError)).toBe(true);
      expect(restErrors.isRestApiError(httpError)).toBe(false);
      expect(restErrors.isRestRateLimitError(limited)).toBe(true);
      expect(restErrors.isRestApiError(limited) || restErrors.isRestHttpError(limited)).toBe(false);
      // Our own errors are never taken for the library's (they carry a path, not a url).
      const ours = new errors.DiscordApiError(api(404, 10007));
      expect(
        restErrors.isRestApiError(ours) || restErrors.isRestHttpError(ours) || restErrors.isRestRateLimitError(ours),
      ).toBe(false);
    });
  }
});
