// Drives the bot-connect flow the way a browser would: the dashboard link, Discord's consent (the fake issues the
// code as clicking Authorize would), and the callback.
import { expect } from "vitest";
import { GET as botCallback } from "@/app/api/discord/bot-callback/route";
import { GET as botConnect } from "@/app/api/discord/bot-connect/route";
import { BOT_PERMISSIONS, botRedirectUri } from "@/lib/bot-connection/start-connect";
import type { TestDiscordFake } from "~tests/fakes/discord";
import { TEST_ORIGIN, paramsOf } from "~tests/helpers/auth";

/** GET /api/discord/bot-connect for `slug`; returns Discord's authorize URL and its state. */
export async function startConnect(slug: string, cookie: string) {
  const response = await botConnect(
    new Request(`${TEST_ORIGIN}/api/discord/bot-connect?org=${slug}`, { headers: { cookie } }),
    paramsOf({}),
  );
  expect(response.status).toBe(303);
  const authorize = new URL(response.headers.get("location")!);
  return { authorize, state: authorize.searchParams.get("state")! };
}

export type AuthorizeOptions = { guildId?: string; userId?: string; clientId?: string };

/** What clicking Authorize on Discord's page does: the bot joins the guild and a code is issued. */
export function authorizeBot(discord: TestDiscordFake, options: AuthorizeOptions = {}): string {
  return discord.issueAuthorizationCode({
    clientId: options.clientId ?? discord.world.platform.id,
    userId: options.userId ?? discord.world.admin.id,
    scopes: ["bot", "identify"],
    redirectUri: botRedirectUri(),
    guildId: options.guildId ?? discord.world.otherGuild.id,
    permissions: BOT_PERMISSIONS,
  });
}

/** GET /api/discord/bot-callback; returns the redirect's path and query. */
export async function callback(query: Record<string, string>, cookie?: string): Promise<string> {
  const url = new URL("/api/discord/bot-callback", TEST_ORIGIN);
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  const response = await botCallback(new Request(url, { headers: cookie ? { cookie } : {} }), paramsOf({}));
  expect(response.status).toBe(303);
  const location = new URL(response.headers.get("location")!);
  return location.pathname + location.search;
}

/** The whole flow for an admin; returns where the callback redirected. */
export async function connectBot(
  discord: TestDiscordFake,
  slug: string,
  cookie: string,
  options: AuthorizeOptions = {},
) {
  const { state } = await startConnect(slug, cookie);
  return callback({ code: authorizeBot(discord, options), state }, cookie);
}
