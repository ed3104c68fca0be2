// The Discord fake for tests: `const discord = useDiscordFake()` at the top of a test file mounts the in-memory
// Discord on the shared msw server for every test of the file, with a fresh standard world before each test.
//
//   discord.world.guild.id, discord.world.roles.approved.id, discord.world.applicant.id ...  fixed, valid snowflakes
//   discord.model.addUser / addGuild / addRole / addMember / addChannel / addApplication / addBotToGuild
//   discord.issueAuthorizationCode({ clientId, userId, scopes, redirectUri, guildId? })
//   discord.injectFault({ route: "PUT /guilds/{guild_id}/members/{user_id}/roles/{role_id}", status: 500, times: 2 })
//   discord.configureRateLimits({ routes: { "GET /guilds/{guild_id}": { limit: 1, windowMs: 1000 } } })
//   discord.requests("GET /users/@me"), discord.countRequests(route), discord.auditLog
import { beforeEach } from "vitest";
import { http, type HttpHandler } from "msw";
import { resetDefaultDiscordRoleGateway } from "@/lib/applications/role-jobs/discord-gateway";
import { forgetBotReads } from "@/lib/bot-connection/discord-reads";
import { env } from "@/lib/env";
import { server } from "~tests/msw/server";
import { DiscordFake } from "./fake";
import { type StandardWorld, type WorldOptions, seedStandardWorld } from "./world";

export { DiscordFake } from "./fake";
export type { IssueCodeInput, RecordedRequest } from "./fake";
export type { Fault, RateLimitConfig, Limit } from "./limits";
export { DISCORD_LIKE_LIMITS, GENEROUS_LIMITS } from "./limits";
export { PERMISSIONS, newSnowflake } from "./model";
export type {
  FakeApplication,
  FakeGuild,
  FakeRole,
  FakeUser,
  FakeMember,
  FakeChannel,
  FakeDmChannel,
  FakeMessage,
} from "./model";
export { seedStandardWorld, WORLD_IDS } from "./world";
export type { StandardWorld, WorldOptions } from "./world";

/** msw handlers answering every request to the given origins (default: Discord's and the configured ones). */
export function discordHandlers(fake: DiscordFake, origins: string[] = defaultOrigins()): HttpHandler[] {
  return [...new Set(origins)].map((origin) => http.all(`${origin}/*`, ({ request }) => fake.handle(request)));
}

function defaultOrigins(): string[] {
  return ["https://discord.com", new URL(env.DISCORD_API_BASE_URL).origin, new URL(env.DISCORD_AUTHORIZE_URL).origin];
}

/** The platform application as the test environment configures it (tests/setup/env.ts). */
export function platformWorldOptions(): WorldOptions {
  return {
    clientId: env.DISCORD_CLIENT_ID ?? "1100000000000000001",
    clientSecret: env.DISCORD_CLIENT_SECRET ?? "test-discord-client-secret",
    botToken: env.DISCORD_TOKEN ?? "platform-bot-token.for-tests.only",
  };
}

export class TestDiscordFake extends DiscordFake {
  private current: StandardWorld | undefined;

  /** The standard world seeded before this test (throws when the fake was created with `world: false`). */
  get world(): StandardWorld {
    if (!this.current) throw new Error("useDiscordFake({ world: false }) seeds no world");
    return this.current;
  }

  reseed(options: WorldOptions | false): void {
    this.reset();
    this.current = options ? seedStandardWorld(this.model, options) : undefined;
  }
}

export type UseDiscordFakeOptions = {
  /** Seed the standard world before each test (default true); an object overrides the platform application. */
  world?: boolean | Partial<WorldOptions>;
};

/** Call at the top level of a test file (or a describe block). */
export function useDiscordFake(options: UseDiscordFakeOptions = {}): TestDiscordFake {
  const fake = new TestDiscordFake();
  beforeEach(() => {
    const world = options.world ?? true;
    fake.reseed(world === false ? false : { ...platformWorldOptions(), ...(world === true ? {} : world) });
    // Every test reseeds the same guild ids: a role list cached in an earlier test would describe another world.
    resetDefaultDiscordRoleGateway();
    forgetBotReads();
    server.use(...discordHandlers(fake));
  });
  return fake;
}
