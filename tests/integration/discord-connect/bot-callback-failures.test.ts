// An unexpected failure in the bot callback (a database error, a bug) still ends in a redirect the settings page
// explains (`internal_error`), never a 500 body; a lock it took is released as ERROR; the log names the error only.
import { afterEach, beforeEach, expect, it, vi } from "vitest";
import { Prisma } from "@/generated/prisma/client";
import { db } from "@/lib/db";
import { useDiscordFake } from "~tests/fakes/discord";
import { createOrgWithMember } from "~tests/helpers/auth";
import { authorizeBot, callback, startConnect } from "~tests/helpers/bot-connect";

// The app's logger is a lazy proxy (not spy-able): swap in recording functions to read what was logged.
const log = vi.hoisted(() => {
  const fns = { error: vi.fn(), warn: vi.fn(), info: vi.fn(), debug: vi.fn(), trace: vi.fn(), fatal: vi.fn() };
  return { ...fns, child: () => fns };
});
vi.mock("@/lib/logger", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/lib/logger")>()),
  logger: log,
}));

const discord = useDiscordFake();

beforeEach(() => {
  log.error.mockClear();
});

afterEach(() => {
  vi.restoreAllMocks();
});

/** What a failing query looks like: Prisma's own error type, with text that must not reach the browser. */
function databaseError(): Error {
  return new Prisma.PrismaClientKnownRequestError("Connection terminated unexpectedly (secret-looking detail)", {
    code: "P1017",
    clientVersion: Prisma.prismaVersion.client,
  });
}

it("a database error after the lock was taken redirects to settings with internal_error and releases the lock as ERROR", async () => {
  const { organization, cookie } = await createOrgWithMember("OWNER");
  const { state } = await startConnect(organization.slug, cookie);
  const code = authorizeBot(discord);
  const logged = log.error;
  // The guild-ownership check runs under the lock, after the code exchange.
  vi.spyOn(db.discordConnection, "findFirst").mockRejectedValue(databaseError());

  expect(await callback({ code, state }, cookie)).toBe(`/dashboard/${organization.slug}/settings?error=internal_error`);

  vi.restoreAllMocks();
  expect(await db.discordConnection.findUniqueOrThrow({ where: { organizationId: organization.id } })).toMatchObject({
    state: "ERROR",
    connectionError: "internal_error",
    lockToken: null,
    guildId: null,
  });
  expect(await db.vaultSecret.count()).toBe(0);
  expect(await db.auditEvent.count({ where: { action: "bot.connect", outcome: "FAILED" } })).toBe(1);
  // Logged server-side by name and code; neither the code, the state, the tokens nor the error's text.
  expect(logged).toHaveBeenCalled();
  const text = JSON.stringify(logged.mock.calls);
  expect(text).toContain("P1017");
  for (const secret of [code, state, "secret-looking detail", ...discord.model.accessTokens.keys()])
    expect(text).not.toContain(secret);
});

it("a database error before the caller is authorized redirects to /dashboard with internal_error, revealing nothing", async () => {
  const { organization, cookie } = await createOrgWithMember("OWNER");
  const { state } = await startConnect(organization.slug, cookie);
  const logged = log.error;
  vi.spyOn(db.membership, "findUnique").mockRejectedValue(databaseError());

  expect(await callback({ code: authorizeBot(discord), state }, cookie)).toBe("/dashboard?error=internal_error");
  expect(logged).toHaveBeenCalled();
  vi.restoreAllMocks();
  expect(await db.discordConnection.count()).toBe(0);
  expect(discord.countRequests("POST /oauth2/token")).toBe(0);
});
