// Issue 23 item 4: the REST client of a token is shared per process (globalThis), so the copy of @discordjs/rest
// that throws may not be the copy src/lib/discord/client.ts imported (`next dev` loads the package twice). Every
// answer must still map to its typed error: before the fix a 404 Unknown Member became a DiscordNetworkError and
// the role job said "Discord kept failing".
import { createRequire } from "node:module";
import * as restEsm from "@discordjs/rest";
import { beforeEach, describe, expect, it } from "vitest";
import { classifyRoleError } from "@/lib/applications/role-jobs/role-failures";
import { createDiscordClient, MAX_RATE_LIMIT_WAIT_MS, resetDiscordClients, tokenHash } from "@/lib/discord/client";
import { discordErrorKind, isDiscordApiError } from "@/lib/discord/errors";
import { env } from "@/lib/env";
import { classifyMessageError } from "@/lib/notifications/failures";
import { useDiscordFake } from "~tests/fakes/discord";

const discord = useDiscordFake();
const ROLE_PUT = "PUT /guilds/{guild_id}/members/{user_id}/roles/{role_id}";
const restCjs = createRequire(import.meta.url)("@discordjs/rest") as typeof restEsm;

/** The platform bot's shared REST client, made by the other copy of @discordjs/rest. */
function clientOnOtherRestCopy() {
  const token = discord.world.platform.botToken;
  const base = /^(.*)\/v(\d+)$/.exec(env.DISCORD_API_BASE_URL.replace(/\/+$/, ""))!;
  const rest = new restCjs.REST({
    api: base[1]!,
    version: base[2]!,
    authPrefix: "Bot",
    makeRequest: fetch as unknown as restEsm.REST["options"]["makeRequest"],
    retries: 2,
    rejectOnRateLimit: (data) => data.retryAfter > MAX_RATE_LIMIT_WAIT_MS,
  }).setToken(token);
  const shared = globalThis as unknown as { guildgateDiscordRest: { set(key: string, value: unknown): void } };
  shared.guildgateDiscordRest.set(tokenHash("Bot", token), rest);
  return createDiscordClient({ token, kind: "Bot" });
}

async function addRoleError(): Promise<unknown> {
  const { guild, applicant, roles } = discord.world;
  return clientOnOtherRestCopy()
    .addGuildMemberRole(guild.id, applicant.id, roles.approved.id)
    .then(
      () => undefined,
      (error: unknown) => error,
    );
}

beforeEach(() => resetDiscordClients());

describe("Discord answers thrown by another copy of @discordjs/rest", () => {
  it("is a real second copy", () => {
    expect(restCjs.DiscordAPIError).not.toBe(restEsm.DiscordAPIError);
  });

  it.each([
    [403, 50013, "missing_permissions"],
    [404, 10007, "member_not_in_guild"],
    [404, 10011, "role_missing"],
  ])("maps %i (code %i) to a Discord answer: %s, not a network error", async (status, code, expected) => {
    discord.injectFault({ route: ROLE_PUT, status, code });
    const error = await addRoleError();
    expect(discordErrorKind(error)).toBe("api");
    expect(isDiscordApiError(error) && [error.status, error.code]).toEqual([status, code]);
    expect(classifyRoleError(error).code).toBe(expected);
  });

  it("maps a 401 to bot_token_invalid", async () => {
    discord.injectFault({ route: ROLE_PUT, status: 401 });
    const error = await addRoleError();
    expect(classifyRoleError(error).code).toBe("bot_token_invalid");
    expect(classifyMessageError(error).code).toBe("bot_unavailable");
  });

  it("maps a long 429 (the library's RateLimitError) to a rate limit with Retry-After", async () => {
    discord.injectFault({ route: ROLE_PUT, status: 429, retryAfter: 60, times: 5 });
    const error = await addRoleError();
    expect(isDiscordApiError(error) && error.isRateLimited).toBe(true);
    expect(isDiscordApiError(error) && error.retryAfter).toBeGreaterThanOrEqual(59);
  });

  it("maps a persistent 5xx to a transient discord_unavailable with its status", async () => {
    discord.injectFault({ route: ROLE_PUT, status: 503, times: 10 });
    const error = await addRoleError();
    expect(isDiscordApiError(error) && error.status).toBe(503);
    expect(classifyRoleError(error)).toMatchObject({ code: "discord_unavailable", transient: true });
  });

  it("maps a dropped connection to a network error", async () => {
    discord.injectFault({ route: ROLE_PUT, drop: true, times: 3 });
    const error = await addRoleError();
    expect(discordErrorKind(error)).toBe("network");
  });
});
