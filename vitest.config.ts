import path from "node:path";
import { defineConfig } from "vitest/config";
import { IsolationFirstSequencer } from "./tests/setup/sequencer";

const alias = { "@": path.resolve("src"), "~tests": path.resolve("tests") };
const common = ["tests/setup/env.ts", "tests/setup/console.ts", "tests/setup/msw.ts"];

export default defineConfig({
  resolve: { alias },
  test: {
    // Two workers on these 2-core machines; each integration worker has its own database.
    maxWorkers: 2,
    globals: true,
    sequence: { sequencer: IsolationFirstSequencer },
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          environment: "node",
          include: ["tests/unit/**/*.test.ts", "src/**/*.test.ts"],
          setupFiles: common,
          globals: true,
        },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          environment: "node",
          include: ["tests/integration/**/*.test.ts"],
          globalSetup: ["tests/setup/global-db.ts"],
          setupFiles: [...common, "tests/setup/db.ts"],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          globals: true,
        },
      },
      {
        resolve: { alias },
        test: {
          name: "components",
          environment: "jsdom",
          include: ["tests/components/**/*.test.tsx"],
          setupFiles: common,
          // userEvent and jsdom are slow on the loaded 2-core machines; 5 s timed out tests that pass alone.
          testTimeout: 30_000,
          globals: true,
        },
      },
    ],
  },
});
