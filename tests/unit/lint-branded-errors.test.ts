// Issue 23: `instanceof` on a Discord error class (ours or @discordjs/rest's), a token-resolution error or an
// AppError is a lint error everywhere in src except the module that owns the guards (eslint.config.mjs).
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

const eslint = new ESLint({ cwd: process.cwd() });

async function restrictedIn(filePath: string, code: string): Promise<number[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((m) => m.ruleId === "no-restricted-syntax").map((m) => m.line);
}

const SOURCE = [
  'import * as rest from "@discordjs/rest";',
  'import { DiscordApiError, TokenResolutionError } from "@/lib/discord/errors";',
  'import { AppError } from "@/lib/errors/app-error";',
  "export const a = (e: unknown) => e instanceof DiscordApiError;",
  "export const b = (e: unknown) => e instanceof rest.DiscordAPIError;",
  "export const c = (e: unknown) => e instanceof TokenResolutionError;",
  "export const d = (e: unknown) => e instanceof AppError;",
  "export const e = (x: unknown) => x instanceof Error;",
  "",
].join("\n");

describe("lint: no instanceof on branded error classes", () => {
  it("fires on each such instanceof in src, and not on other classes", { timeout: 60_000 }, async () => {
    expect(await restrictedIn("src/lib/applications/example.ts", SOURCE)).toEqual([4, 5, 6, 7]);
  });

  it("allows the module that owns the guards", { timeout: 60_000 }, async () => {
    expect(await restrictedIn("src/lib/discord/errors.ts", SOURCE)).toEqual([]);
  });
});
