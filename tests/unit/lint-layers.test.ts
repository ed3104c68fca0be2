// Issue 25 item 4: src/lib's layers are declared once (LIB_LAYERS in eslint.config.mjs) and `npm run lint` refuses an
// import that runs upward or sideways across them. Every folder of src/lib must be declared, so a new one cannot
// escape the rule.
import fs from "node:fs";
import path from "node:path";
import { ESLint } from "eslint";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";

const { LIB_LAYERS } = (await import(pathToFileURL(path.resolve("eslint.config.mjs")).href)) as {
  LIB_LAYERS: string[][];
};

const eslint = new ESLint({ cwd: process.cwd() });

async function layerErrors(filePath: string, code: string): Promise<number[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((m) => m.ruleId === "no-restricted-imports").map((m) => m.line);
}

describe("lint: the layers of src/lib", () => {
  it("declares every folder and top-level module of src/lib exactly once", () => {
    const declared = LIB_LAYERS.flat();
    const present = fs
      .readdirSync(path.resolve("src/lib"), { withFileTypes: true })
      .map((entry) => (entry.isDirectory() ? entry.name : entry.name.replace(/\.tsx?$/, "")));
    expect([...declared].sort()).toEqual([...new Set(present)].sort());
    expect(new Set(declared).size).toBe(declared.length);
  });

  it("refuses upward, sideways and out-of-lib imports, and allows downward ones", { timeout: 60_000 }, async () => {
    const source = [
      'import { db } from "@/lib/db";', // down: fine
      'import { recordAudit } from "@/lib/audit/record-audit";', // same layer as discord: sideways
      'import { submitApplication } from "@/lib/applications/intake/submit-application";', // up
      'import { startWorker } from "@/worker/start-worker";', // the composition root
      'import { x } from "../applications/review";', // around the rule by a relative path
      'import { env } from "@/lib/env";', // down: fine
      "export const all = [db, recordAudit, submitApplication, startWorker, x, env];",
      "",
    ].join("\n");
    expect(await layerErrors("src/lib/discord/example.ts", source)).toEqual([2, 3, 4, 5]);
    // The same imports from the top of the stack are all downward (the worker and pages may use any layer).
    expect(await layerErrors("src/lib/discord-review/example.ts", source)).toEqual([4, 5]);
  });
});
